package org.ffspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ffspark.ParquetSchema;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.config.ConfigException;
import org.ffspark.data.Split;
import org.ffspark.io.Storage;
import org.ffspark.saliency.SaliencyMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaliencyJobTest {
    @Test
    void writesParquetMatchingTheSchemaAndOverwriteLeavesNoLeftovers(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 10, 12);
        String model = TestData.writeSmallModel(tmp, "784,32,32", 1, 1000);
        SparkSession spark = SparkTests.session();
        String out = tmp.resolve("saliency").toString();
        SaliencyJob.Options opt = new SaliencyJob.Options(model, data.toString(), Split.TEST, out,
                List.of(), org.ffspark.saliency.SaliencyTarget.PREDICTED, 42, 0, false);
        assertEquals(12 * 6, SaliencyJob.run(spark, Storage.local(), opt));

        Dataset<Row> df = spark.read().parquet(out);
        assertEquals(ParquetSchema.expected("saliency.avsc"), ParquetSchema.actual(df));
        Row r = df.filter("method = 'FF_OCCLUSION' AND id = 3").collectAsList().get(0);
        assertEquals(784, r.getList(5).size());
        List<scala.collection.Seq<Float>> layerMaps = r.getList(6);
        assertEquals(2, layerMaps.size(), "one map per hidden layer");
        for (int i = 0; i < 784; i++) {  // the scored layers are all layers: the map is their sum
            assertEquals((Float) r.getList(5).get(i), layerMaps.get(0).apply(i) + layerMaps.get(1).apply(i), 1e-5f);
        }
        assertTrue(df.filter("method = 'RANDOM' AND layer_maps IS NOT NULL").isEmpty());
        assertEquals(29, r.getList(7).size());
        assertEquals(r.getInt(2), r.getInt(4), "target is the predicted label");
        assertEquals(12, df.filter("method = 'RANDOM'").select("id").distinct().count());

        assertThrows(ConfigException.class, () -> SaliencyJob.run(spark, Storage.local(), opt));
        SaliencyJob.run(spark, Storage.local(), new SaliencyJob.Options(model, data.toString(), Split.TEST, out,
                List.of(SaliencyMethod.FF_OCCLUSION), org.ffspark.saliency.SaliencyTarget.TRUE, 42, 0, true));
        Dataset<Row> again = spark.read().parquet(out);
        assertEquals(12, again.count());
        assertEquals(List.of("FF_OCCLUSION"), again.select("method").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("idx", "model", "saliency"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Row t = again.filter("id = 5").collectAsList().get(0);
        assertEquals(t.getInt(1), t.getInt(4), "target is the true label");
        float[] map = toArray(t.getList(5));
        byte[] px = new byte[784];
        System.arraycopy(TestData.mnistTest().pixels(), 5 * 784, px, 0, 784);
        for (int i = 0; i < 784; i++) {
            if (i < 10 || px[i] == 0) {
                assertEquals(0f, map[i], "label and background pixels have no saliency: " + i);
            }
        }
        assertTrue(java.util.stream.IntStream.range(10, 784).anyMatch(i -> map[i] != 0f));
    }

    static float[] toArray(List<Object> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (Float) l.get(i);
        }
        return a;
    }


    @Test
    void parquetInputGivesTheMapsOfIdxInputUnderTheDataIds(@TempDir Path tmp) throws Exception {
        Path idx = TestData.writeMnistSlice(tmp.resolve("idx"), 10, 12);
        String model = TestData.writeSmallModel(tmp, "784,32,32", 1, 1000);
        SparkSession spark = SparkTests.session();
        String parquet = tmp.resolve("parquet").toString();
        IngestJob.run(spark, Storage.local(), idx.toString(), parquet, false);
        // A data set whose ids are not row indices: the odd ids of the test split only.
        String odd = tmp.resolve("odd").toString();
        spark.read().parquet(parquet).filter("split = 'train' OR id % 2 = 1").write().partitionBy("split").parquet(odd);
        Files.copy(Path.of(parquet, org.ffspark.io.ImagesMeta.FILE), Path.of(odd, org.ffspark.io.ImagesMeta.FILE));
        org.ffspark.saliency.SaliencySpec spec = new org.ffspark.saliency.SaliencySpec(
                List.of(SaliencyMethod.FF_OCCLUSION, SaliencyMethod.FF_OCCLUSION_PATCH, SaliencyMethod.RANDOM),
                org.ffspark.saliency.SaliencyTarget.PREDICTED, 42, 6, 3, true);
        java.util.Map<String, Row> byKey = new java.util.HashMap<>();
        for (String data : List.of(idx.toString(), parquet, odd)) {
            String out = tmp.resolve("sal-" + Path.of(data).getFileName()).toString();
            SaliencyJob.run(spark, Storage.local(), new SaliencyJob.Options(model, data, Split.TEST, out, spec, 0, false,
                    org.ffspark.baseline.MlpSaliency.Explained.LOGIT));
            Dataset<Row> df = spark.read().parquet(out);
            assertEquals(ParquetSchema.expected("saliency.avsc"), ParquetSchema.actual(df));
            assertTrue(df.filter("road_deletion_area IS NULL OR size(road_insertion_curve) <> 29").isEmpty(), "ROAD curves in every row");
            List<Long> ids = df.select("id").distinct().orderBy("id").as(org.apache.spark.sql.Encoders.LONG()).collectAsList();
            if (data.equals(odd)) {
                assertEquals(List.of(1L, 3L, 5L, 7L, 9L, 11L), ids, "ids come from the data");
            } else {
                assertEquals(12, ids.size());
            }
            for (Row r : df.collectAsList()) {
                String key = r.getAs("method") + "/" + r.getAs("id");
                Row first = byKey.putIfAbsent(key, r);
                if (first != null) {
                    for (String col : List.of("map", "deletion_curve", "insertion_curve", "road_deletion_curve", "road_insertion_curve")) {
                        assertEquals(first.getList(first.fieldIndex(col)), r.getList(r.fieldIndex(col)), key + " " + col + " from " + data);
                    }
                }
            }
        }
        assertEquals(3 * 12, byKey.size());
    }

    @Test
    void reportsProgressFromSparksTaskEvents(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 10, 1200);
        String model = TestData.writeSmallModel(tmp, "784,16", 1, 500);
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            SaliencyJob.run(SparkTests.session(), Storage.local(), new SaliencyJob.Options(model, data.toString(), Split.TEST,
                    tmp.resolve("s").toString(), List.of(SaliencyMethod.RANDOM), org.ffspark.saliency.SaliencyTarget.PREDICTED, 1, 0, false));
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        for (int k = 1; k <= 3; k++) {
            assertTrue(out.contains("saliency: " + k + "/3 tasks done"), "a line per slice of 500 examples: " + out);
        }
    }
}

package org.ffspark.job;

import org.ffspark.SchemaCheck;
import com.fasterxml.jackson.databind.JsonNode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.ffspark.data.InputDataException;
import org.ffspark.data.LabeledImages;
import org.ffspark.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestJobTest {
    @Test
    void writesParquetMatchingTheAvroSchemaWithTheSourceBytes(@TempDir Path tmp) {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 300, 120);
        SparkSession spark = SparkTests.session();
        String out = tmp.resolve("parquet").toString();
        IngestJob.Result r = IngestJob.run(spark, Storage.local(), data.toString(), out, false);
        assertEquals(300, r.trainRows());
        assertEquals(120, r.testRows());

        Dataset<Row> df = spark.read().parquet(out);
        assertEquals(ParquetSchema.expected("images.avsc"), ParquetSchema.actual(df));

        Row r7 = df.filter("split = 'train' AND id = 7").collectAsList().get(0);
        LabeledImages train = TestData.mnistTrain();
        assertEquals(train.label(7), r7.getInt(1));
        byte[] px = new byte[784];
        System.arraycopy(train.pixels(), 7 * 784, px, 0, 784);
        assertArrayEquals(px, (byte[]) r7.get(2));
        assertEquals(120, df.filter("split = 'test'").count());
        assertTrue(Files.exists(Path.of(out, "_ffspark.json")));
        JsonNode meta = SchemaCheck.json(Path.of(out, "_ffspark.json"));
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("images-meta.schema.json"), meta));
        assertEquals(120, meta.get("testRows").asLong());
        assertEquals(org.ffspark.io.ImagesMeta.read(org.ffspark.io.Storage.local(), out).trainRows(), meta.get("trainRows").asLong());
    }


    @Test
    void refusesExistingOutputAndOverwriteLeavesNoLeftovers(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 50, 20);
        SparkSession spark = SparkTests.session();
        String out = tmp.resolve("parquet").toString();
        IngestJob.run(spark, Storage.local(), data.toString(), out, false);
        ConfigException e = assertThrows(ConfigException.class, () -> IngestJob.run(spark, Storage.local(), data.toString(), out, false));
        assertTrue(e.getMessage().contains("already exists; pass --overwrite"), e.getMessage());
        IngestJob.run(spark, Storage.local(), data.toString(), out, true);
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("idx", "parquet"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(70, spark.read().parquet(out).count());
    }

    @Test
    void badInputLeavesNothingBehind(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 50, 20);
        Files.write(data.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        String out = tmp.resolve("parquet").toString();
        assertThrows(InputDataException.class, () -> IngestJob.run(SparkTests.session(), Storage.local(), data.toString(), out, false));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("idx"), s.map(p -> p.getFileName().toString()).toList());
        }
        assertFalse(Files.exists(Path.of(out)));
    }
}

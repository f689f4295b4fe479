package org.ffspark.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.ImagesMeta;
import org.ffspark.io.Json;
import org.ffspark.io.Storage;

/**
 * The ingest job: both splits of an IDX data directory to one Parquet data set partitioned by {@code split},
 * with columns {@code id} (index within the split), {@code label}, {@code pixels} (784 unsigned bytes,
 * row-major) — schema {@code data-schemas/images.avsc} — plus {@code _ffspark.json} with counts and checksums.
 */
public final class IngestJob {
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("pixels", DataTypes.BinaryType, false)
            .add("split", DataTypes.StringType, false);
    private static final int ROWS_PER_SLICE = 5000;

    public record Result(long trainRows, long testRows) {}

    private IngestJob() {}

    public static Result run(SparkSession spark, Storage storage, String data, String out, boolean overwrite) {
        String runId = RunIds.next();
        try (AtomicOutput output = AtomicOutput.begin(storage, storage.path(out), runId, overwrite)) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Map<String, String> sums = new LinkedHashMap<>();
            JavaRDD<Row> all = null;
            long[] counts = new long[2];
            for (Split split : Split.values()) {
                IdxDataset.Loaded loaded = IdxDataset.read(storage, data, split);
                sums.putAll(loaded.checksums());
                LabeledImages images = loaded.images();
                counts[split.ordinal()] = images.count();
                JavaRDD<Row> rows = rows(jsc, images, split);
                all = all == null ? rows : all.union(rows);
            }
            Dataset<Row> df = spark.createDataFrame(all, SCHEMA);
            spark.sparkContext().setJobDescription("ingest " + data + " -> " + out);
            df.write().mode(SaveMode.Overwrite).partitionBy("split").parquet(output.dir().toString());
            ImagesMeta meta = new ImagesMeta(ImagesMeta.FORMAT, ImagesMeta.VERSION, data, runId, sums,
                    counts[Split.TRAIN.ordinal()], counts[Split.TEST.ordinal()]);
            storage.writeAll(new Path(output.dir(), ImagesMeta.FILE), Json.bytes(meta));
            output.commit();
            return new Result(counts[0], counts[1]);
        }
    }

    /** Rows of one split, built on the executors from a broadcast copy of the bytes. */
    private static JavaRDD<Row> rows(JavaSparkContext jsc, LabeledImages images, Split split) {
        Broadcast<LabeledImages> bc = jsc.broadcast(images);
        List<int[]> slices = new ArrayList<>();
        for (int from = 0; from < images.count(); from += ROWS_PER_SLICE) {
            slices.add(new int[] {from, Math.min(images.count(), from + ROWS_PER_SLICE)});
        }
        String name = split.id();
        return jsc.parallelize(slices, slices.size()).flatMap(range -> {
            LabeledImages im = bc.value();
            List<Row> out = new ArrayList<>(range[1] - range[0]);
            for (int i = range[0]; i < range[1]; i++) {
                byte[] px = new byte[LabeledImages.PIXELS];
                System.arraycopy(im.pixels(), i * LabeledImages.PIXELS, px, 0, LabeledImages.PIXELS);
                out.add(RowFactory.create((long) i, (int) im.labels()[i], px, name));
            }
            return out.iterator();
        });
    }
}

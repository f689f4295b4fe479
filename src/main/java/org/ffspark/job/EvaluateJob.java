package org.ffspark.job;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.ImagesMeta;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.Storage;
import org.ffspark.report.Evaluation;
import org.ffspark.train.Checked;
import org.ffspark.train.Shards;

/**
 * The distributed evaluate job: the model is broadcast once, every partition scores its examples for all ten
 * labels and counts a confusion matrix, and {@code treeAggregate} adds the matrices (integer counts, so the
 * result does not depend on the merge order). Reads an IDX directory or the ingest job's Parquet.
 */
public final class EvaluateJob {
    private static final int SLICE = 2000;

    private EvaluateJob() {}

    public static LocalEvaluateJob.Result run(SparkSession spark, Storage storage, String modelDir, String data, Split split, String out) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long t0 = System.nanoTime();
        ModelHandle handle = ModelHandle.load(storage, modelDir);
        ModelRemote model = handle.broadcast(jsc);
        JavaRDD<LabeledImages> parts = parts(spark, jsc, storage, data, split);
        spark.sparkContext().setJobDescription("ffspark evaluate " + modelDir + " on " + data + "/" + split.id());
        Evaluation e = parts.map(model::evaluate).treeAggregate(new Evaluation(), Evaluation::mergeInPlace, Evaluation::mergeInPlace, 2);
        model.destroy();
        double secs = (System.nanoTime() - t0) / 1e9;
        return LocalEvaluateJob.write(storage, e, modelDir, handle.predictionRule(), data, split, out, secs);
    }

    private static JavaRDD<LabeledImages> parts(SparkSession spark, JavaSparkContext jsc, Storage storage, String data, Split split) {
        if (ImagesMeta.isIngested(storage, data)) {
            JavaRDD<Checked<LabeledImages>> decoded = Shards.requireImages(spark.read().parquet(data), data)
                    .filter("split = '" + split.id() + "'").select("id", "label", "pixels").javaRDD()
                    .mapPartitions(it -> {
                        List<Row> rows = new ArrayList<>();
                        it.forEachRemaining(rows::add);
                        return List.of(Checked.of(rows, r -> Shards.images("part", r, data))).iterator();
                    });
            // A bad row fails here, after one task attempt, with its one-line message (the evaluation then reads
            // the rows again: cheaper than holding them, and a held test split would outlive this job).
            Checked.requireNone(decoded);
            return decoded.map(Checked::get);
        }
        LabeledImages all = IdxDataset.read(storage, data, split).images();
        Broadcast<LabeledImages> bc = jsc.broadcast(all);
        List<int[]> slices = new ArrayList<>();
        for (int from = 0; from < all.count(); from += SLICE) {
            slices.add(new int[] {from, Math.min(all.count(), from + SLICE)});
        }
        return jsc.parallelize(slices, slices.size()).map(r -> {
            LabeledImages d = bc.value();
            byte[] px = java.util.Arrays.copyOfRange(d.pixels(), r[0] * LabeledImages.PIXELS, r[1] * LabeledImages.PIXELS);
            byte[] lb = java.util.Arrays.copyOfRange(d.labels(), r[0], r[1]);
            return new LabeledImages("slice", px, lb);
        });
    }
}

package org.ffspark.job;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ffspark.config.ConfigException;
import org.ffspark.baseline.MlpSaliency;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.Storage;
import org.ffspark.saliency.SaliencyMethod;
import org.ffspark.saliency.SaliencyRow;
import org.ffspark.saliency.SaliencySpec;
import org.ffspark.saliency.SaliencyTarget;

/**
 * The saliency batch job: the model is broadcast once, every example of a split is scored for the ten labels,
 * and for each requested method and target label its map and faithfulness (deletion and insertion curves and
 * areas) are computed on the executors. Output: Parquet partitioned by {@code method}, schema
 * {@code data-schemas/saliency.avsc}, written atomically.
 */
public final class SaliencyJob {
    /** Job options. {@code limit} 0 = every example. */
    public record Options(String model, String data, Split split, String out, SaliencySpec spec, int limit, boolean overwrite,
                          MlpSaliency.Explained mlpExplains) {
        /** MLP maps of the target's logit, default patch, zero baseline only. */
        public Options(String model, String data, Split split, String out, List<SaliencyMethod> methods,
                       SaliencyTarget target, long seed, int limit, boolean overwrite) {
            this(model, data, split, out, new SaliencySpec(methods, target, seed), limit, overwrite, MlpSaliency.Explained.LOGIT);
        }
    }

    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("true_label", DataTypes.IntegerType, false)
            .add("predicted_label", DataTypes.IntegerType, false)
            .add("scores", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("target_label", DataTypes.IntegerType, false)
            .add("map", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("layer_maps", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false), true)
            .add("deletion_curve", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("insertion_curve", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("deletion_area", DataTypes.DoubleType, false)
            .add("insertion_area", DataTypes.DoubleType, false)
            .add("road_deletion_curve", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("road_insertion_curve", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("road_deletion_area", DataTypes.DoubleType, true)
            .add("road_insertion_area", DataTypes.DoubleType, true)
            .add("model_version", DataTypes.StringType, false)
            .add("run_id", DataTypes.StringType, false)
            .add("method", DataTypes.StringType, false);

    private static final int SLICE = 500;

    private SaliencyJob() {}

    /** Writes the maps of {@code opt}'s examples; returns the number of rows written. */
    public static long run(SparkSession spark, Storage storage, Options opt) {
        ModelHandle model = ModelHandle.load(storage, opt.model());
        List<SaliencyMethod> methods = opt.spec().methods().isEmpty() ? model.saliencyMethods() : opt.spec().methods();
        for (SaliencyMethod m : methods) {
            if (!model.supports(m)) {
                throw new ConfigException("--methods = " + m + ": does not apply to " + model.kind() + " model ("
                        + opt.model() + "); use " + model.saliencyMethods());
            }
        }
        String runId = RunIds.next();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (AtomicOutput out = AtomicOutput.begin(storage, storage.path(opt.out()), runId, opt.overwrite())) {
            String version = model.version();
            TestSets.WithIds loaded = TestSets.loadWithIds(spark, storage, opt.data(), opt.split()).head(opt.limit());
            LabeledImages set = loaded.images();
            long[] allIds = loaded.ids();
            ModelRemote remote = model.broadcast(jsc);
            Broadcast<LabeledImages> images = jsc.broadcast(set);
            Broadcast<long[]> ids = jsc.broadcast(allIds);
            SaliencySpec spec = opt.spec().withMethods(methods);
            MlpSaliency.Explained explains = opt.mlpExplains();
            String description = "ffspark saliency " + opt.model() + " on " + opt.data() + "/" + opt.split().id() + " " + runId;
            spark.sparkContext().setJobDescription(description);
            List<int[]> slices = slices(set.count());
            JavaRDD<Row> rows = jsc.parallelize(slices, slices.size()).flatMap(range ->
                    remote.saliency(images.value(), range[0], range[1],
                                    java.util.Arrays.copyOfRange(ids.value(), range[0], range[1]), spec, explains).stream()
                            .map(r -> row(r, version, runId)).iterator());
            try (TaskProgress progress = new TaskProgress(spark.sparkContext(), "saliency", slices.size(), description, System.out)) {
                spark.createDataFrame(rows, SCHEMA).write().mode(SaveMode.Overwrite).partitionBy("method").parquet(out.dir().toString());
            }
            remote.destroy();
            images.destroy(false);
            ids.destroy(false);
            out.commit();
            return spark.read().parquet(opt.out()).count();
        }
    }

    /** The model_version the job writes for the model at {@code dir}. */
    public static String modelVersion(Storage storage, String dir) {
        return ModelHandle.load(storage, dir).version();
    }

    /** Ranges [from, to) of {@link #SLICE} examples: one task each. */
    static List<int[]> slices(int count) {
        List<int[]> slices = new ArrayList<>();
        for (int from = 0; from < count; from += SLICE) {
            slices.add(new int[] {from, Math.min(count, from + SLICE)});
        }
        return slices;
    }

    /** The Parquet row of {@code r} (columns as {@link #SCHEMA}). */
    static Row row(SaliencyRow r, String version, String runId) {
        return RowFactory.create(r.id(), r.trueLabel(), r.predictedLabel(), r.scores(), r.targetLabel(), r.map(), r.layerMaps(),
                r.deletionCurve(), r.insertionCurve(), r.deletionArea(), r.insertionArea(), r.roadDeletionCurve(),
                r.roadInsertionCurve(), r.roadDeletionArea(), r.roadInsertionArea(), version, runId, r.method().name());
    }
}

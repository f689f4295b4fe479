package org.ffspark.job;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ffspark.baseline.MlpSaliency;
import org.ffspark.baseline.MlpStore;
import org.ffspark.config.ConfigException;
import org.ffspark.config.FfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfScorer;
import org.ffspark.ff.Gemm;
import org.ffspark.ff.Rng;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.saliency.Faithfulness;
import org.ffspark.saliency.SaliencyMaps;
import org.ffspark.saliency.SaliencyMethod;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The saliency batch job: the model is broadcast once, every example of a split is scored for the ten labels,
 * and for each requested method and target label its map and faithfulness (deletion and insertion curves and
 * areas) are computed on the executors. Output: Parquet partitioned by {@code method}, schema
 * {@code data-schemas/saliency.avsc}, written atomically.
 */
public final class SaliencyJob {
    /** Which label a map explains. */
    public enum Target { PREDICTED, TRUE, ALL }

    /** Job options. {@code limit} 0 = every example. */
    public record Options(String model, String data, Split split, String out, List<SaliencyMethod> methods, Target target,
                          long seed, int limit, boolean overwrite) {}

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
            .add("model_version", DataTypes.StringType, false)
            .add("run_id", DataTypes.StringType, false)
            .add("method", DataTypes.StringType, false);

    private static final int SLICE = 500;

    private SaliencyJob() {}

    public static long run(SparkSession spark, Storage storage, Options opt) {
        boolean mlp = MlpStore.isMlp(storage, opt.model());
        List<SaliencyMethod> chosen = opt.methods().isEmpty() ? defaultMethods(mlp) : opt.methods();
        for (SaliencyMethod m : chosen) {
            if (mlp ? !m.forMlp() : !m.forFf()) {
                throw new ConfigException("--methods = " + m + ": does not apply to " + (mlp ? "an MLP baseline" : "an FF") + " model ("
                        + opt.model() + "); use " + defaultMethods(mlp));
            }
        }
        String runId = RunIds.next();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (mlp) {
            return runMlp(spark, jsc, storage, opt, chosen, runId);
        }
        try (AtomicOutput out = AtomicOutput.begin(storage, storage.path(opt.out()), runId, opt.overwrite())) {
            ModelStore.Loaded loaded = ModelStore.read(storage, opt.model());
            FfModel model = loaded.model();
            String version = loaded.manifest().parameters().sha256();
            LabeledImages set = IdxDataset.read(storage, opt.data(), opt.split()).images();
            if (opt.limit() > 0) {
                set = set.head(opt.limit());
            }
            Broadcast<float[]> params = jsc.broadcast(model.params());
            Broadcast<LabeledImages> images = jsc.broadcast(set);
            List<int[]> slices = slices(set.count());
            FfConfig cfg = model.config();
            List<SaliencyMethod> methods = List.copyOf(chosen);
            Target target = opt.target();
            long seed = opt.seed();
            spark.sparkContext().setJobDescription("ffspark saliency " + opt.model() + " on " + opt.data() + "/" + opt.split().id());
            JavaRDD<Row> rows = jsc.parallelize(slices, slices.size()).flatMap(range ->
                    slice(new FfModel(cfg, params.value()), images.value(), range[0], range[1], methods, target, seed, version, runId));
            spark.createDataFrame(rows, SCHEMA).write().mode(SaveMode.Overwrite).partitionBy("method").parquet(out.dir().toString());
            params.destroy(false);
            images.destroy(false);
            out.commit();
            return spark.read().parquet(opt.out()).count();
        }
    }

    /** Ranges [from, to) of {@link #SLICE} examples: one task each. */
    static List<int[]> slices(int count) {
        List<int[]> slices = new ArrayList<>();
        for (int from = 0; from < count; from += SLICE) {
            slices.add(new int[] {from, Math.min(count, from + SLICE)});
        }
        return slices;
    }

    /** Every method that applies to the model kind (RANDOM included). */
    public static List<SaliencyMethod> defaultMethods(boolean mlp) {
        return java.util.Arrays.stream(SaliencyMethod.values()).filter(m -> mlp ? m.forMlp() : m.forFf()).toList();
    }

    /** The MLP baseline's maps: the DL4J model broadcast once, same rows, curves and schema as for FF. */
    private static long runMlp(SparkSession spark, JavaSparkContext jsc, Storage storage, Options opt, List<SaliencyMethod> chosen, String runId) {
        try (AtomicOutput out = AtomicOutput.begin(storage, storage.path(opt.out()), runId, opt.overwrite())) {
            MlpStore.Loaded loaded = MlpStore.read(storage, opt.model());
            String version = loaded.manifest().dl4j().sha256();
            LabeledImages set = IdxDataset.read(storage, opt.data(), opt.split()).images();
            if (opt.limit() > 0) {
                set = set.head(opt.limit());
            }
            Broadcast<byte[]> zip = jsc.broadcast(loaded.zip());
            Broadcast<LabeledImages> images = jsc.broadcast(set);
            List<int[]> slices = slices(set.count());
            List<SaliencyMethod> methods = List.copyOf(chosen);
            Target target = opt.target();
            long seed = opt.seed();
            spark.sparkContext().setJobDescription("ffspark saliency (MLP) " + opt.model() + " on " + opt.data() + "/" + opt.split().id());
            JavaRDD<Row> rows = jsc.parallelize(slices, slices.size()).flatMap(range ->
                    mlpSlice(MlpStore.fromBytes(zip.value(), "broadcast model"), images.value(), range[0], range[1], methods, target, seed,
                            version, runId));
            spark.createDataFrame(rows, SCHEMA).write().mode(SaveMode.Overwrite).partitionBy("method").parquet(out.dir().toString());
            zip.destroy(false);
            images.destroy(false);
            out.commit();
            return spark.read().parquet(opt.out()).count();
        }
    }

    static Iterator<Row> mlpSlice(MultiLayerNetwork net, LabeledImages set, int from, int to, List<SaliencyMethod> methods,
                                  Target target, long seed, String version, String runId) {
        int n = to - from;
        float[] images = new float[n * 784];
        for (int i = 0; i < n; i++) {
            set.copyPixels(from + i, images, i * 784);
        }
        float[] scores = new float[n * 10];
        MlpSaliency.logProbabilities(net, images, 0, n, scores);
        Faithfulness faith = new Faithfulness((im, f, c, o) -> MlpSaliency.logProbabilities(net, im, f, c, o));
        INDArray x = Nd4j.create(images, new long[] {n, 784}, 'c');
        int[] pred = new int[n];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            pred[i] = FfScorer.argmax(scores, i);
            truth[i] = set.label(from + i);
        }
        List<int[]> passes = new ArrayList<>();
        switch (target) {
            case PREDICTED -> passes.add(pred);
            case TRUE -> passes.add(truth);
            case ALL -> {
                for (int c = 0; c < 10; c++) {
                    int[] t = new int[n];
                    java.util.Arrays.fill(t, c);
                    passes.add(t);
                }
            }
        }
        List<Row> out = new ArrayList<>();
        for (int[] targets : passes) {
            for (SaliencyMethod m : methods) {
                float[] all = m == SaliencyMethod.RANDOM ? null : MlpSaliency.maps(net, x, targets, m);
                for (int i = 0; i < n; i++) {
                    long id = from + i;
                    long exSeed = Rng.mix(seed, id, targets[i]);
                    float[] map = new float[784];
                    if (all == null) {
                        SaliencyMaps.random(exSeed, map);
                    } else {
                        System.arraycopy(all, i * 784, map, 0, 784);
                    }
                    float[] del = new float[Faithfulness.POINTS];
                    float[] ins = new float[Faithfulness.POINTS];
                    faith.curves(images, i * 784, map, targets[i], exSeed, del, ins);
                    out.add(RowFactory.create(id, truth[i], pred[i], java.util.Arrays.copyOfRange(scores, i * 10, i * 10 + 10), targets[i], map,
                            null, del, ins, Faithfulness.area(del), Faithfulness.area(ins), version, runId, m.name()));
                }
            }
        }
        return out.iterator();
    }

    /** The rows of examples {@code [from, to)}: pure computation, one engine per task. */
    static Iterator<Row> slice(FfModel model, LabeledImages set, int from, int to, List<SaliencyMethod> methods,
                               Target target, long seed, String version, String runId) {
        Gemm.init(1);
        int n = to - from;
        float[] images = new float[n * 784];
        for (int i = 0; i < n; i++) {
            set.copyPixels(from + i, images, i * 784);
        }
        float[] scores = new float[n * 10];
        List<Row> out = new ArrayList<>();
        try (FfScorer scorer = new FfScorer(model, 64); SaliencyMaps maps = new SaliencyMaps(model, 256)) {
            scorer.score(images, 0, n, scores);
            Faithfulness faith = new Faithfulness(scorer);
            for (int i = 0; i < n; i++) {
                long id = from + i;
                int truth = set.label(from + i);
                int pred = FfScorer.argmax(scores, i);
                float[] sc = java.util.Arrays.copyOfRange(scores, i * 10, i * 10 + 10);
                List<Integer> targets = switch (target) {
                    case PREDICTED -> List.of(pred);
                    case TRUE -> List.of(truth);
                    case ALL -> List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
                };
                for (int c : targets) {
                    int runnerUp = c == 0 ? 1 : 0;
                    for (int k = 0; k < 10; k++) {
                        if (k != c && sc[k] > sc[runnerUp]) {
                            runnerUp = k;
                        }
                    }
                    long exSeed = Rng.mix(seed, id, c);
                    for (SaliencyMethod m : methods) {
                        float[] map = new float[784];
                        maps.map(m, images, i * 784, c, runnerUp, exSeed, map);
                        float[] del = new float[Faithfulness.POINTS];
                        float[] ins = new float[Faithfulness.POINTS];
                        faith.curves(images, i * 784, map, c, exSeed, del, ins);
                        // PAPER.md 3.4: the occlusion map of every layer alone, from the same pass.
                        float[][] layerMaps = m == SaliencyMethod.FF_OCCLUSION
                                ? java.util.Arrays.stream(maps.lastPerLayer()).map(float[]::clone).toArray(float[][]::new) : null;
                        out.add(RowFactory.create(id, truth, pred, sc, c, map, layerMaps, del, ins, Faithfulness.area(del),
                                Faithfulness.area(ins), version, runId, m.name()));
                    }
                }
            }
        }
        return out.iterator();
    }
}

package org.ffspark.job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ffspark.baseline.MlpBaseline;
import org.ffspark.baseline.MlpStore;
import org.ffspark.config.ConfigException;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.Json;
import org.ffspark.io.MetricsLines;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;

/**
 * Trains the MLP baseline ({@link MlpBaseline}) on the same shards as {@link TrainJob} (same data, partitions,
 * seed and averaging period), evaluates it on the test split after every epoch, and writes the model directory
 * (DL4J zip + manifest + {@code metrics.jsonl}, schema {@code data-schemas/mlp-metrics.schema.json}) atomically.
 */
public final class MlpTrainJob {
    public record Options(String data, String model, int partitions, double learningRate, int averagingPeriod, boolean overwrite) {}

    /** One epoch's figures. */
    public record EpochReport(int epoch, int epochs, double seconds, double elapsedSeconds, double examplesPerSecond, double testAccuracy) {}

    private MlpTrainJob() {}

    public static MultiLayerNetwork run(SparkSession spark, Storage storage, TrainFfConfig cfg, Options opt,
                                        java.util.function.Consumer<EpochReport> progress) {
        ConfigException.require(opt.learningRate() > 0 && Double.isFinite(opt.learningRate()), "--learning-rate", opt.learningRate(), "must be > 0");
        ConfigException.require(opt.averagingPeriod() >= 1, "--averaging-period", opt.averagingPeriod(), "must be >= 1 minibatch");
        Path modelPath = storage.path(opt.model());
        if (storage.exists(modelPath) && !opt.overwrite()) {
            throw new ConfigException(modelPath + ": output already exists; pass --overwrite to replace it");
        }
        String runId = RunIds.next();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int n = opt.partitions() > 0 ? opt.partitions() : jsc.defaultParallelism();
        long seed = cfg.train().seed();
        Map<String, String> checksums = new LinkedHashMap<>();
        LabeledImages test = TestSets.load(spark, storage, opt.data(), Split.TEST);
        JavaRDD<LabeledImages> shards = TrainJob.shards(spark, jsc, storage, opt.data(), n, seed, checksums);
        try {
            long examples = shards.map(s -> (long) s.count()).reduce(Long::sum);
            int batch = cfg.train().batchSize();
            List<Integer> layers = cfg.ff().layerSizes();
            List<String> metrics = new ArrayList<>();
            double[] elapsed = {0};
            MlpBaseline.Options mo = new MlpBaseline.Options(layers, opt.learningRate(), cfg.train().epochs(), batch, seed, opt.averagingPeriod());
            MultiLayerNetwork net = MlpBaseline.fit(jsc, shards, mo, (epoch, seconds, current) -> {
                elapsed[0] += seconds;
                double acc = MlpBaseline.evaluate(current, test).accuracy();
                EpochReport r = new EpochReport(epoch, cfg.train().epochs(), seconds, elapsed[0], examples / seconds, acc);
                metrics.add(Json.line(new MetricsLines.MlpEpoch(epoch + 1, r.epochs(), seconds, elapsed[0],
                        r.examplesPerSecond(), acc)));
                progress.accept(r);
            });
            ModelStore.Provenance prov = new ModelStore.Provenance(cfg.modelMap(), checksums, seed, BuildInfo.gitCommit(), runId, RunIds.now());
            try (AtomicOutput out = AtomicOutput.begin(storage, modelPath, runId, opt.overwrite())) {
                MlpStore.writeInto(storage, net, layers, prov, opt.learningRate(), opt.averagingPeriod(), out.dir());
                storage.writeAll(new Path(out.dir(), "metrics.jsonl"), String.join("\n", metrics).concat("\n").getBytes(StandardCharsets.UTF_8));
                out.commit();
            }
            return net;
        } finally {
            shards.unpersist(false);
        }
    }
}

package org.ffspark.train;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ffspark.config.DistConfig;
import org.ffspark.config.OptimizerState;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfTrainer;
import org.ffspark.ff.Gemm;
import org.ffspark.ff.LayerStats;
import org.ffspark.ff.ShardTrainer;
import org.ffspark.ff.TrainState;
import org.ffspark.ff.FfLayout;
import org.ffspark.config.ConfigKeys;

/**
 * Training throughput of the single-JVM trainer against Spark in the same run: examples/s of
 * (a) {@link ShardTrainer} in this JVM with 2 threads, (b) {@link SparkFfTrainer} on the given master with the
 * given partitions; each over the same examples and number of minibatches. The caller opens and closes sessions.
 */
public final class TrainBenchmark {
    /** Throughput and the per-round time split (seconds, summed over the timed rounds). */
    public record Result(String label, double examplesPerSecond, double seconds, double compute, double broadcast,
                         double aggregate, int rounds) {}

    /** Bytes of training state (parameters and Adam moments) the warm-up rounds may ship each way, in total. */
    static final long WARMUP_BYTES = 2_000_000_000L;

    private TrainBenchmark() {}

    /** Single-JVM examples/s over {@code epochs} epochs of {@code data} (after {@code warmup} warm-up epochs). */
    public static Result local(TrainFfConfig cfg, LabeledImages data, int warmup, int epochs) {
        Gemm.init(1);
        FfModel model = FfModel.initialise(cfg.ff(), cfg.train().seed());
        try (ShardTrainer t = new ShardTrainer(model, cfg.train(), data, 0, 2)) {
            int batches = ShardTrainer.batchesPerEpoch(data.count(), cfg.train().batchSize());
            for (int e = 0; e < warmup; e++) {
                t.run(0, e, 0, batches, new LayerStats(cfg.ff().hiddenLayers()));
            }
            long t0 = System.nanoTime();
            for (int e = warmup; e < warmup + epochs; e++) {
                t.run(0, e, 0, batches, new LayerStats(cfg.ff().hiddenLayers()));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Result("single JVM, 2 threads", (double) data.count() * epochs / secs, secs, secs, 0, 0, 0);
        }
    }

    /**
     * Spark examples/s on {@code spark} with {@code partitions} shards; the first {@code warmup} epochs are not timed.
     * Before them, up to {@code warmupRounds} short rounds (one minibatch per partition each, on the first examples;
     * fewer for a large net, see {@link #WARMUP_BYTES}) run Spark's own task path as often as a long training does:
     * fresh executor JVMs compile it for a few hundred jobs (docs/performance.md).
     */
    public static Result spark(String label, SparkSession spark, TrainFfConfig cfg, LabeledImages data, int partitions,
                               int period, OptimizerState mode, int warmupRounds, int warmup, int epochs) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // The benchmarked net itself (a small stand-in warms up less of the path), at most WARMUP_BYTES of state
        // shipped each way (784-2000x4: 12 rounds).
        long stateBytes = 12L * new FfLayout(cfg.ff()).size();
        int rounds = (int) Math.min(warmupRounds, Math.max(Math.min(warmupRounds, 10), WARMUP_BYTES / stateBytes));
        if (rounds > 0) {
            int n = Math.min(data.count(), rounds * partitions * cfg.train().batchSize());
            JavaRDD<LabeledImages> small = Shards.fromImages(jsc, data.head(n), partitions, cfg.train().seed());
            try {
                TrainFfConfig c = TrainFfConfig.load(null, withEpochs(cfg, 1));
                SparkFfTrainer t = new SparkFfTrainer(jsc, small, c.ff(), c.train(), DistConfig.defaults().withSplitBatch(false).withAveragingPeriod(1).withCheckpointEvery(0).withOptimizerState(mode));
                t.run(initialState(c, t), 0, (r, st) -> { });
            } finally {
                small.unpersist(false);
            }
        }
        JavaRDD<LabeledImages> shards = Shards.fromImages(jsc, data, partitions, cfg.train().seed());
        try {
            TrainFfConfig c = TrainFfConfig.load(null, withEpochs(cfg, warmup + epochs));
            SparkFfTrainer t = new SparkFfTrainer(jsc, shards, c.ff(), c.train(), DistConfig.defaults().withSplitBatch(false).withAveragingPeriod(period).withCheckpointEvery(0).withOptimizerState(mode));
            TrainState s = initialState(c, t);
            int untimed = t.totalRounds() / (warmup + epochs) * warmup;
            double[] split = new double[4];
            long[] examples = new long[1];
            s = t.run(s, 0, (r, st) -> {
                if (r.position().round() >= untimed) {
                    split[0] += r.seconds();
                    split[1] += r.computeSeconds();
                    split[2] += r.broadcastSeconds();
                    split[3] += r.aggregateSeconds();
                    examples[0] += r.examples();
                }
            });
            return new Result(label, examples[0] / split[0], split[0], split[1], split[2], split[3], t.totalRounds() - untimed);
        } finally {
            shards.unpersist(false);
        }
    }

    /** The initial state for trainer {@code t}: one optimizer state, or one per partition (per-worker mode). */
    private static TrainState initialState(TrainFfConfig c, SparkFfTrainer t) {
        FfModel init = FfModel.initialise(c.ff(), c.train().seed());
        try (FfTrainer ft = new FfTrainer(init, c.train(), 1, 1)) {
            TrainState s = TrainState.initial(init, ft.optimizer());
            return t.optimizerStates() > 1 ? s.perWorker(t.optimizerStates()) : s;
        }
    }

    private static List<String> withEpochs(TrainFfConfig cfg, int epochs) {
        List<String> sets = new ArrayList<>();
        cfg.with(ConfigKeys.EPOCHS, Integer.toString(epochs)).toMap().forEach((k, v) -> sets.add(k + "=" + v));
        return sets;
    }

    /** A session for {@code master}; local-cluster executors get this JVM's class path and 2 GB heaps. */
    public static SparkSession open(String master, String executorClassPath) {
        return open(master, executorClassPath, 2048);
    }

    /** A session for {@code master}; local-cluster executors get this JVM's class path and heaps of {@code executorMb}. */
    public static SparkSession open(String master, String executorClassPath, int executorMb) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("ffspark bench")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").set("spark.executorEnv.OMP_NUM_THREADS", "1");
        if (master.startsWith("local-cluster")) {
            conf.set("spark.executor.extraClassPath", executorClassPath).set("spark.executor.memory", executorMb + "m");
        }
        return SparkSession.builder().config(SparkFfTrainer.withDefaults(conf)).getOrCreate();
    }
}

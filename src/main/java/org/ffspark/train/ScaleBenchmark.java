package org.ffspark.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.ffspark.config.DistConfig;
import org.ffspark.config.OptimizerState;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.TrainState;

/**
 * What one averaging round costs as the partition count grows, counted by Spark itself: a listener adds up, for the
 * round jobs only, the task results the driver receives, the shuffle bytes each executor reads and writes, and the
 * stages and tasks; the round's time split comes from the trainer. Broadcast bytes are the serialised size of the
 * round's broadcast (every executor that runs a round task fetches it once).
 */
public final class ScaleBenchmark {
    /** Bytes and tasks of one executor, per round. */
    public record ExecutorTraffic(String executor, double receivedBytes, double sentBytes, double tasks) {}

    /** One partition count: per-round means over the timed rounds (times: medians). */
    public record Point(int executors, int partitions, int rounds, double driverBytesPerRound, double driverBytesMaxRound,
                        double broadcastBytes, double stagesPerRound, double tasksPerRound, double secondsPerRound,
                        double computeSeconds, double broadcastSeconds, double aggregateSeconds,
                        List<ExecutorTraffic> perExecutor) {}

    private ScaleBenchmark() {}

    /** Counts the round jobs' stages, tasks and bytes (jobs whose group starts with {@code ffspark-train-round-}). */
    static final class Traffic extends SparkListener {
        final Map<Integer, String> stageRound = new ConcurrentHashMap<>();
        final Map<String, Long> driverBytes = new ConcurrentHashMap<>();
        final Map<String, long[]> executors = new ConcurrentHashMap<>(); // received, sent, tasks
        final Map<String, Integer> stages = new ConcurrentHashMap<>();
        final Map<String, Integer> tasks = new ConcurrentHashMap<>();
        volatile int fromRound;

        @Override
        public void onJobStart(SparkListenerJobStart e) {
            String group = e.properties() == null ? null : e.properties().getProperty("spark.jobGroup.id");
            if (group != null && group.startsWith(SparkFfTrainer.ROUND_GROUP)
                    && Integer.parseInt(group.substring(SparkFfTrainer.ROUND_GROUP.length())) >= fromRound) {
                scala.collection.Iterator<Object> it = e.stageIds().iterator();
                while (it.hasNext()) {
                    stageRound.put((Integer) it.next(), group);
                }
                driverBytes.putIfAbsent(group, 0L);
            }
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted e) {
            String round = stageRound.get(e.stageInfo().stageId());
            if (round != null) {
                stages.merge(round, 1, Integer::sum);
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            String round = stageRound.get(e.stageId());
            TaskMetrics m = e.taskMetrics();
            if (round == null || m == null) {
                return;
            }
            tasks.merge(round, 1, Integer::sum);
            driverBytes.merge(round, m.resultSize(), Long::sum);
            long received = m.shuffleReadMetrics().remoteBytesRead();
            long sent = m.shuffleWriteMetrics().bytesWritten() + m.resultSize();
            executors.compute(e.taskInfo().executorId(), (k, v) -> {
                long[] a = v == null ? new long[3] : v;
                a[0] += received;
                a[1] += sent;
                a[2]++;
                return a;
            });
        }
    }

    /**
     * Runs {@code warmupRounds + rounds} rounds of {@code period} minibatches per partition ({@code partitions}
     * shards, minibatches of the configuration's batch; hashed shard sizes vary, so the epoch may have a round or two more) on
     * {@code spark} and counts the rounds after the warm-up.
     */
    public static Point measure(SparkSession spark, int executors, TrainFfConfig cfg, LabeledImages data, int partitions,
                                OptimizerState mode, int period, int warmupRounds, int rounds) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int total = warmupRounds + rounds;
        cfg = cfg.with(org.ffspark.config.ConfigKeys.EPOCHS, "1"); // one epoch of about `total` rounds (shard sizes vary)
        int batch = cfg.train().batchSize();
        LabeledImages set = data.head(Math.min(data.count(), partitions * batch * period * total));
        JavaRDD<LabeledImages> shards = Shards.fromImages(jsc, set, partitions, cfg.train().seed());
        Traffic traffic = new Traffic();
        traffic.fromRound = warmupRounds;
        spark.sparkContext().addSparkListener(traffic);
        List<double[]> times = new ArrayList<>();
        long broadcastBytes;
        try {
            SparkFfTrainer t = new SparkFfTrainer(jsc, shards, cfg.ff(), cfg.train(), DistConfig.defaults()
                    .withSplitBatch(false).withAveragingPeriod(period).withCheckpointEvery(0).withOptimizerState(mode));
            TrainState s = t.initialState(FfModel.initialise(cfg.ff(), cfg.train().seed()));
            TrainState sent = mode == OptimizerState.PER_WORKER ? s.parametersOnly() : s.forWorkers();
            broadcastBytes = SparkEnv.get().serializer().newInstance().serialize(sent, scala.reflect.ClassTag$.MODULE$.apply(TrainState.class)).remaining();
            t.run(s, 0, (r, st) -> {
                if (r.position().round() >= warmupRounds) {
                    times.add(new double[] {r.seconds(), r.computeSeconds(), r.broadcastSeconds(), r.aggregateSeconds()});
                }
            });
        } finally {
            try {
                spark.sparkContext().listenerBus().waitUntilEmpty();
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("Spark's listener bus did not drain", e);
            } finally {
                spark.sparkContext().removeSparkListener(traffic);
            }
            shards.unpersist(false);
        }
        int n = times.size();
        double driver = traffic.driverBytes.values().stream().mapToLong(Long::longValue).sum() / (double) n;
        double driverMax = traffic.driverBytes.values().stream().mapToLong(Long::longValue).max().orElse(0);
        double stages = traffic.stages.values().stream().mapToInt(Integer::intValue).sum() / (double) n;
        double tasks = traffic.tasks.values().stream().mapToInt(Integer::intValue).sum() / (double) n;
        List<ExecutorTraffic> perExecutor = new ArrayList<>();
        new TreeMap<>(traffic.executors).forEach((id, a) -> perExecutor.add(new ExecutorTraffic(id,
                a[0] / (double) n + broadcastBytes, a[1] / (double) n, a[2] / (double) n)));
        return new Point(executors, partitions, n, driver, driverMax, broadcastBytes, stages, tasks,
                median(times, 0), median(times, 1), median(times, 2), median(times, 3), perExecutor);
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length == 0 ? 0 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}

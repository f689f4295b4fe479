package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ffspark.ClusterTest;
import org.ffspark.Processes;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.job.SaliencyJob;
import org.ffspark.job.TrainJob;
import org.ffspark.saliency.SaliencyMethod;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on real processes: an executor JVM of local-cluster[2,1,1024] killed with SIGKILL while its task runs
 * (training and saliency), and the driver process of a training run killed with SIGKILL, then resumed.
 */
class FaultToleranceTest {
    /** Kills the executor JVM that runs the n-th task to start (or the first task of a job group's job), SIGKILL, once. */
    static final class KillExecutorAtTask extends SparkListener {
        private final int n;
        private final String jobGroup;
        private final java.util.Set<Integer> stages = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final AtomicInteger started = new AtomicInteger();
        final AtomicLong killedPid = new AtomicLong(-1);

        KillExecutorAtTask(int n) {
            this.n = n;
            this.jobGroup = null;
        }

        KillExecutorAtTask(String jobGroup) {
            this.n = 1;
            this.jobGroup = jobGroup;
        }

        @Override
        public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart e) {
            if (jobGroup != null && jobGroup.equals(e.properties().getProperty("spark.jobGroup.id"))) {
                scala.collection.JavaConverters.seqAsJavaList(e.stageIds()).forEach(id -> stages.add((Integer) id));
            }
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart e) {
            if (jobGroup != null && !stages.contains(e.stageId())) {
                return;
            }
            if (started.incrementAndGet() != n) {
                return;
            }
            String id = "--executor-id " + e.taskInfo().executorId() + " ";
            ProcessHandle.current().descendants()
                    .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend") && commandLine(p).contains(id))
                    .findFirst().ifPresent(p -> {
                        p.destroyForcibly();
                        killedPid.set(p.pid());
                    });
        }
    }

    /** The whole command line from /proc (ProcessHandle.Info cuts it off inside a long class path). */
    static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @ClusterTest
    void anExecutorKilledMidRoundChangesNothingInTheTrainedModel() {
        LabeledImages data = TestData.mnistTrain().head(1200);
        SparkSession cluster = SparkTests.session(SparkTests.LOCAL_CLUSTER);
        try {
            float[] undisturbed = SparkFfTrainerTest.spark(cluster, data, 2, 4, -1);
            // tasks 1-2 cache the shards; each round then runs two tasks: task 7 is in the third round
            KillExecutorAtTask killer = new KillExecutorAtTask(7);
            cluster.sparkContext().addSparkListener(killer);
            float[] disturbed;
            try {
                disturbed = SparkFfTrainerTest.spark(cluster, data, 2, 4, -1);
            } finally {
                cluster.sparkContext().removeSparkListener(killer);
            }
            assertTrue(killer.killedPid.get() > 0, "an executor JVM was killed");
            assertTrue(ProcessHandle.of(killer.killedPid.get()).isEmpty(), "and is gone");
            assertArrayEquals(undisturbed, disturbed, "bit-identical to the undisturbed run");
        } finally {
            SparkTests.session(SparkTests.LOCAL);
        }
    }

    /**
     * Per-worker optimizer states live in the executors: an executor killed at the start of round 13 takes the states
     * of its partition from rounds 11 and 12 with it, and Spark replays them from the lineage cut after round 10
     * (written to the checkpoint directory); the run ends with the undisturbed parameters and moments.
     */
    @ClusterTest
    void anExecutorKilledWithItsPerWorkerStatesReplaysThemExactly(@TempDir Path tmp) {
        LabeledImages data = TestData.mnistTrain().head(1200);
        SparkSession cluster = SparkTests.session(SparkTests.LOCAL_CLUSTER);
        cluster.sparkContext().setCheckpointDir(tmp.resolve("cuts").toString());
        try {
            TestData.Dist perWorker = SparkFfTrainerTest.perWorker(1, -1); // 12 rounds per epoch, 24 in all
            org.ffspark.ff.TrainState undisturbed = SparkFfTrainerTest.run(cluster, data, 2, perWorker);
            KillExecutorAtTask killer = new KillExecutorAtTask("ffspark-train-round-12");
            cluster.sparkContext().addSparkListener(killer);
            org.ffspark.ff.TrainState disturbed;
            try {
                disturbed = SparkFfTrainerTest.run(cluster, data, 2, perWorker);
            } finally {
                cluster.sparkContext().removeSparkListener(killer);
            }
            assertTrue(killer.killedPid.get() > 0, "an executor JVM was killed");
            assertArrayEquals(undisturbed.params(), disturbed.params(), "parameters bit-identical to the undisturbed run");
            assertArrayEquals(undisturbed.firstMoment(), disturbed.firstMoment(), "first moments");
            assertArrayEquals(undisturbed.secondMoment(), disturbed.secondMoment(), "second moments");
            assertArrayEquals(undisturbed.steps(), disturbed.steps(), "step counts");
            assertEquals(2, disturbed.workers());
        } finally {
            SparkTests.session(SparkTests.LOCAL);
        }
    }

    @ClusterTest
    void anExecutorKilledDuringSaliencyLeavesCompleteOutputWithoutDuplicates(@TempDir Path tmp) throws Exception {
        Path idx = TestData.writeMnistSlice(tmp.resolve("idx"), 10, 1600);
        String model = TestData.writeSmallModel(tmp, "784,32,32", 1, 1000);
        SparkSession cluster = SparkTests.session(SparkTests.LOCAL_CLUSTER);
        try {
            KillExecutorAtTask killer = new KillExecutorAtTask(2);  // 4 tasks of 500, 500, 500, 100 images
            cluster.sparkContext().addSparkListener(killer);
            String out = tmp.resolve("saliency").toString();
            try {
                SaliencyJob.run(cluster, Storage.local(), new SaliencyJob.Options(model, idx.toString(), Split.TEST, out,
                        List.of(SaliencyMethod.FF_OCCLUSION, SaliencyMethod.RANDOM), org.ffspark.saliency.SaliencyTarget.PREDICTED, 42, 0, false));
            } finally {
                cluster.sparkContext().removeSparkListener(killer);
            }
            assertTrue(killer.killedPid.get() > 0, "an executor JVM was killed");
            Dataset<Row> maps = cluster.read().parquet(out);
            assertEquals(3200, maps.count(), "two maps per image");
            assertEquals(3200, maps.select("id", "method").distinct().count(), "no duplicates");
            Row r = maps.filter("method = 'FF_OCCLUSION'").selectExpr("min(id)", "max(id)", "count(DISTINCT id)").first();
            assertEquals(List.of(0L, 1599L, 1600L), List.of(r.getLong(0), r.getLong(1), r.getLong(2)), "no id missing");
        } finally {
            SparkTests.session(SparkTests.LOCAL);
        }
    }

    @ClusterTest
    void aDriverKilledMidTrainingResumesToTheUninterruptedModel(@TempDir Path tmp) throws Exception {
        Path idx = TestData.writeMnistSlice(tmp.resolve("idx"), 1000, 10);
        List<String> settings = List.of("ff.layers=784,64,32", "train.epochs=12", "train.batch-size=50");
        Path model = tmp.resolve("model");
        Path log = tmp.resolve("driver.log");
        Process p = new ProcessBuilder(TestData.projectDir().resolve("bin/ffspark").toString(), "train", "--master", "local[2]",
                "--data", idx.toString(), "--model", model.toString(), "--partitions", "2", "--averaging-period", "5",
                "--checkpoint-every", "3", "--set", settings.get(0), "--set", settings.get(1), "--set", settings.get(2))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path checkpoints = tmp.resolve("model.run/checkpoints");
        long deadline = System.currentTimeMillis() + 120_000;
        while (p.isAlive() && System.currentTimeMillis() < deadline && !(Files.isDirectory(checkpoints) && countRounds(checkpoints) >= 2)) {
            Thread.sleep(100);
        }
        if (!p.isAlive()) {
            fail("training ended before it could be killed: " + Processes.tail(log));
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "driver killed by SIGKILL");
        assertTrue(!Files.exists(model), "no model from the killed run");

        org.ffspark.config.TrainFfConfig cfg = org.ffspark.config.TrainFfConfig.load(null, settings);
        // The CLI run's settings: the defaults (per-worker states, block momentum, split batch) with its two flags.
        TestData.Dist so = new TestData.Dist(cfg.dist().withAveragingPeriod(5).withCheckpointEvery(3), -1);
        SparkSession spark = SparkTests.session();
        List<String> warnings = new java.util.ArrayList<>();
        TrainJob.run(spark, Storage.local(), cfg.withDist(so.config()), new TrainJob.Options(idx.toString(), model.toString(), null, 2, true, false, null, false, false),
                (r, s) -> { }, warnings::add);
        String whole = tmp.resolve("whole").toString();
        TrainJob.run(spark, Storage.local(), cfg.withDist(so.config()), new TrainJob.Options(idx.toString(), whole, null, 2, false, false, null, false, false), (r, s) -> { }, w -> { });
        assertArrayEquals(ModelStore.read(Storage.local(), whole).model().params(),
                ModelStore.read(Storage.local(), model.toString()).model().params(), "resumed == uninterrupted, bit for bit");
        List<String> resumedFrom = Files.readAllLines(model.resolve("metrics.jsonl"));
        assertEquals(Files.readAllLines(Path.of(whole, "metrics.jsonl")).size(), resumedFrom.size(), "metrics of every round, once");
    }

    private static long countRounds(Path checkpoints) throws java.io.IOException {
        try (var s = Files.list(checkpoints)) {
            return s.filter(d -> d.getFileName().toString().matches("round-\\d{8}")).count();
        }
    }
}

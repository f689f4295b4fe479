package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ffspark.SchemaCheck;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.config.DistConfig;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfFit;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.TrainState;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.job.TrainJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SparkFfTrainerTest {
    /** Shift augmentation, dropout and scale-free hard negatives together. */
    static final TrainFfConfig AUGMENTED = TrainFfConfig.load(null, List.of("ff.layers=784,32,24", "train.epochs=2",
            "train.batch-size=50", "train.shift-pixels=2", "train.negatives=HARD_SCALED", "train.dropout=0.1"));

    /** The softmax readout (its logits choosing hard negatives) with peer normalisation, shifts and dropout. */
    static final TrainFfConfig READOUT = TrainFfConfig.load(null, List.of("ff.layers=784,32,24", "train.epochs=2",
            "train.batch-size=50", "train.shift-pixels=1", "train.negatives=HARD", "train.dropout=0.1",
            "ff.readout=SOFTMAX", "train.peer-norm=0.03", "train.readout-lr-scale=3"));

    static Stream<TrainFfConfig> augmented() {
        return Stream.of(AUGMENTED, READOUT);
    }

    static final TrainFfConfig CFG = TrainFfConfig.load(null, List.of("ff.layers=784,32,24", "train.epochs=2", "train.batch-size=50"));

    static float[] spark(SparkSession spark, LabeledImages data, int partitions, int period, int failRound) {
        return run(spark, data, partitions, TestData.dist(period, 0, failRound)).params();
    }

    static TrainState run(SparkSession spark, LabeledImages data, int partitions, TestData.Dist options) {
        return run(spark, data, partitions, options, (r, st) -> { });
    }

    static TrainState run(SparkSession spark, LabeledImages data, int partitions, TestData.Dist options,
                          SparkFfTrainer.RoundListener listener) {
        return run(CFG, spark, data, partitions, options, listener);
    }

    static TrainState run(TrainFfConfig cfg, SparkSession spark, LabeledImages data, int partitions, TestData.Dist options,
                          SparkFfTrainer.RoundListener listener) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<LabeledImages> shards = Shards.fromImages(jsc, data, partitions, cfg.train().seed());
        try {
            SparkFfTrainer t = new SparkFfTrainer(jsc, shards, cfg.ff(), cfg.train(), options.config())
                    .failFirstAttemptOfRound(options.failRound());
            FfModel init = FfModel.initialise(cfg.ff(), cfg.train().seed());
            TrainState s;
            try (org.ffspark.ff.FfTrainer ft = new org.ffspark.ff.FfTrainer(init, cfg.train(), 1, 1)) {
                s = TrainState.initial(init, ft.optimizer());
            }
            return t.run(t.optimizerStates() > 1 ? s.perWorker(t.optimizerStates()) : s, 0, listener);
        } finally {
            shards.unpersist(false);
        }
    }

    static TestData.Dist perWorker(int period, int failRound) {
        return TestData.dist(period, 0, failRound, org.ffspark.config.OptimizerState.PER_WORKER);
    }

    @ParameterizedTest
    @MethodSource("augmented")
    void augmentationNegativesReadoutAndPeerNormReplayExactlyAfterARetryAndMatchTheSingleJvm(TrainFfConfig aug) {
        LabeledImages data = TestData.mnistTrain().head(600);
        TrainState a = run(aug, SparkTests.session(), data, 2, TestData.dist(3, 0, -1), (r, st) -> { });
        TrainState retried = run(aug, SparkTests.session(), data, 2, TestData.dist(3, 0, 2), (r, st) -> { });
        assertArrayEquals(a.params(), retried.params(), "a retried task replays its shifts and negatives");
        FfModel local = FfFit.fit(FfModel.initialise(aug.ff(), aug.train().seed()), aug.train(), data, 2, null);
        TrainState one = run(aug, SparkTests.session(), data, 1, TestData.dist(1, 0, -1), (r, st) -> { });
        assertArrayEquals(local.params(), one.params(), "one partition averaging every batch is the single JVM");
        FfModel plain = FfFit.fit(FfModel.initialise(CFG.ff(), CFG.train().seed()), CFG.train(), data, 2, null);
        assertFalse(java.util.Arrays.equals(plain.params(), local.params()), "the augmentation changes training");
    }

    @Test
    void perWorkerOptimizerStateWithOnePartitionEqualsTheSingleJvmTrainerBitForBit() {
        LabeledImages data = TestData.mnistTrain().head(400);
        FfModel local = FfFit.fit(FfModel.initialise(CFG.ff(), CFG.train().seed()), CFG.train(), data, 2, null);
        TrainState s = run(SparkTests.session(), data, 1, perWorker(1, -1));
        assertEquals(1, s.workers());
        assertArrayEquals(local.params(), s.params());
    }

    @Test
    void perWorkerOptimizerStateKeepsOneStatePerPartitionDeterministicallyAndSurvivesARetry() {
        LabeledImages data = TestData.mnistTrain().head(600);
        TrainState a = run(SparkTests.session(), data, 2, perWorker(3, -1));
        TrainState b = run(SparkTests.session(), data, 2, perWorker(3, -1));
        TrainState retried = run(SparkTests.session(), data, 2, perWorker(3, 2));
        assertEquals(2, a.workers());
        assertArrayEquals(a.params(), b.params());
        assertArrayEquals(a.firstMoment(), b.firstMoment());
        assertArrayEquals(a.secondMoment(), b.secondMoment());
        assertArrayEquals(a.params(), retried.params());
        assertArrayEquals(a.secondMoment(), retried.secondMoment());
        int block = a.firstMomentBlock();
        assertEquals(a.params().length, block);
        float[] w0 = java.util.Arrays.copyOfRange(a.secondMoment(), 0, block);
        float[] w1 = java.util.Arrays.copyOfRange(a.secondMoment(), block, 2 * block);
        assertFalse(java.util.Arrays.equals(w0, w1), "each worker's Adam moments come from its own shard");
        // Each worker's step counts are its own: 2 epochs of ceil(shard size / 50) updates, for both layers.
        JavaRDD<LabeledImages> shards = Shards.fromImages(JavaSparkContext.fromSparkContext(SparkTests.session().sparkContext()), data, 2,
                CFG.train().seed());
        List<Integer> sizes = shards.map(LabeledImages::count).collect();
        shards.unpersist(false);
        long s0 = 2L * ((sizes.get(0) + 49) / 50);
        long s1 = 2L * ((sizes.get(1) + 49) / 50);
        assertArrayEquals(new long[] {s0, s0, s1, s1}, a.steps(), sizes.toString());
        float[] averaged = spark(SparkTests.session(), data, 2, 3, -1);
        assertFalse(java.util.Arrays.equals(averaged, a.params()), "per-worker state is a different algorithm");
    }

    @Test
    void aSplitBatchIsSharedByThePartitions() {
        LabeledImages data = TestData.mnistTrain().head(600);
        TrainFfConfig global = TrainFfConfig.load(null, List.of("ff.layers=784,32,24", "train.epochs=1", "train.batch-size=100"));
        TrainFfConfig own = TrainFfConfig.load(null, List.of("ff.layers=784,32,24", "train.epochs=1", "train.batch-size=50"));
        TestData.Dist split = new TestData.Dist(TestData.dist(3, 0, -1).config().withSplitBatch(true), -1);
        TrainState shared = run(global, SparkTests.session(), data, 2, split, (r, st) -> { });
        TrainState fifty = run(own, SparkTests.session(), data, 2, TestData.dist(3, 0, -1), (r, st) -> { });
        assertArrayEquals(fifty.params(), shared.params(), "batch 100 split over 2 partitions = 50 per partition");
    }

    @Test
    void anAveragingPeriodInEpochsOrExamplesBecomesMinibatchesOfTheRunsShards() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTests.session().sparkContext());
        JavaRDD<LabeledImages> shards = Shards.fromImages(jsc, TestData.mnistTrain().head(600), 2, CFG.train().seed());
        try {
            DistConfig half = TestData.dist(1, 0, -1).config().withAveragingPeriod(org.ffspark.config.AveragingPeriod.parse("0.5 epochs"));
            SparkFfTrainer t = new SparkFfTrainer(jsc, shards, CFG.ff(), CFG.train(), half);
            assertEquals(2 * CFG.train().epochs(), t.totalRounds(), "two rounds per epoch");
            DistConfig hundred = half.withAveragingPeriod(org.ffspark.config.AveragingPeriod.parse("100 examples"));
            assertEquals(2, new SparkFfTrainer(jsc, shards, CFG.ff(), CFG.train(), hundred).averagingPeriodBatches(), "100 examples of 50");
        } finally {
            shards.unpersist(false);
        }
    }

    @Test
    void onePartitionAveragingEveryBatchEqualsTheSingleJvmTrainerBitForBit() {
        LabeledImages data = TestData.mnistTrain().head(500);
        FfModel local = FfFit.fit(FfModel.initialise(CFG.ff(), CFG.train().seed()), CFG.train(), data, 2, null);
        float[] distributed = spark(SparkTests.session(), data, 1, 1, -1);
        assertArrayEquals(local.params(), distributed);
    }

    @Test
    void everyRoundsTimeSplitsIntoComputeBroadcastAndAggregate() {
        LabeledImages data = TestData.mnistTrain().head(400);
        List<SparkFfTrainer.RoundReport> reports = new java.util.ArrayList<>();
        run(SparkTests.session(), data, 2, TestData.dist(2, 0, -1), (r, st) -> reports.add(r));
        org.junit.jupiter.api.Assertions.assertFalse(reports.isEmpty());
        for (SparkFfTrainer.RoundReport r : reports) {
            String at = "round " + r.position().round() + ": " + r;
            org.junit.jupiter.api.Assertions.assertTrue(r.computeSeconds() > 0 && r.broadcastSeconds() > 0 && r.aggregateSeconds() >= 0, at);
            org.junit.jupiter.api.Assertions.assertTrue(r.computeSeconds() + r.broadcastSeconds() <= r.seconds() + 1e-9,
                    "the slowest task's training and its broadcast fetch happen within the round: " + at);
            org.junit.jupiter.api.Assertions.assertEquals(r.seconds(), r.computeSeconds() + r.broadcastSeconds() + r.aggregateSeconds(), 1e-9, at);
        }
        org.junit.jupiter.api.Assertions.assertEquals(2 * 400, reports.stream().mapToLong(SparkFfTrainer.RoundReport::examples).sum(),
                "two epochs over 400 examples");
    }

    @Test
    void reusedEnginesComputeTheSameBitsAsFreshOnesAndArePooledBetweenRounds() {
        LabeledImages data = TestData.mnistTrain().head(600);
        SparkSession session = SparkTests.session();
        int[] idle = {0};
        long kept = EnginePool.statesKept();
        TrainState pooled = run(session, data, 2, perWorker(3, -1), (r, st) -> idle[0] = Math.max(idle[0], EnginePool.idle()));
        assertEquals(2, idle[0], "after a local-mode round both partitions' engines wait in this JVM's pool");
        assertEquals(0, EnginePool.idle(), "the run frees its engines when it ends");
        assertTrue(EnginePool.statesKept() > kept, "pooled engines continued from their own optimizer state");
        // Pooled again, with partition 0's first attempt of round 2 failing: the retry continues from the pool.
        TrainState pooledRetried = run(session, data, 2, perWorker(3, 2), (r, st) -> { });
        session.sparkContext().setLocalProperty(SparkFfTrainer.REUSE_ENGINES, "false");
        TrainState fresh;
        try {
            fresh = run(session, data, 2, perWorker(3, 2), (r, st) -> assertEquals(0, EnginePool.idle()));
        } finally {
            session.sparkContext().setLocalProperty(SparkFfTrainer.REUSE_ENGINES, null);
        }
        for (TrainState t : List.of(pooled, pooledRetried)) {
            assertArrayEquals(fresh.params(), t.params());
            assertArrayEquals(fresh.firstMoment(), t.firstMoment());
            assertArrayEquals(fresh.secondMoment(), t.secondMoment());
            assertArrayEquals(fresh.steps(), t.steps());
        }
    }

    @Test
    void twoPartitionsAreDeterministicAndSurviveAFailedTaskAttempt() {
        LabeledImages data = TestData.mnistTrain().head(600);
        float[] a = spark(SparkTests.session(), data, 2, 3, -1);
        float[] b = spark(SparkTests.session(), data, 2, 3, -1);
        float[] retried = spark(SparkTests.session(), data, 2, 3, 2);
        assertArrayEquals(a, b);
        assertArrayEquals(a, retried);
        FfModel local = FfFit.fit(FfModel.initialise(CFG.ff(), CFG.train().seed()), CFG.train(), data, 2, null);
        assertFalse(java.util.Arrays.equals(a, local.params()), "averaging over 2 shards is a different algorithm");
    }

    @Test
    void resumeFromACheckpointEndsWithTheUninterruptedParameters(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 400, 10);
        SparkSession spark = SparkTests.session();
        Storage st = Storage.local();
        TestData.Dist so = TestData.dist(2, 1, -1);
        String full = tmp.resolve("full").toString();
        String cut = tmp.resolve("cut").toString();
        List<String> rounds = trainTwice(spark, data, so, full, cut);
        // Simulate a crash after round 2 (index 1): drop the model and later checkpoints, leave a half-written one and a corrupt one.
        Path ck = Path.of(cut + ".run", "checkpoints");
        assertEquals("round-00000000", rounds.get(0));
        assertTrue(rounds.size() >= 4, rounds.toString());
        for (String r : rounds) {
            if (r.compareTo("round-00000001") > 0) {
                deleteTree(ck.resolve(r));
            }
        }
        Files.createDirectories(ck.resolve("round-00000002.tmp-crashed"));
        Files.createDirectories(ck.resolve("round-00000003"));
        Files.writeString(ck.resolve("round-00000003/manifest.json"), "{ truncated");
        deleteTree(Path.of(cut));
        List<String> warnings = new ArrayList<>();
        TrainJob.run(spark, st, CFG.withDist(so.config()), new TrainJob.Options(data.toString(), cut, null, 2, true, false, null, false, false), (r, s) -> { }, warnings::add);
        assertArrayEquals(ModelStore.read(st, full).model().params(), ModelStore.read(st, cut).model().params());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("round-00000002.tmp-crashed") && w.contains("half-written")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("round-00000003") && w.contains("skipping")), warnings.toString());
        // Metrics survive the resume: one line per round, schema-valid.
        List<String> lines = Files.readAllLines(Path.of(cut, "metrics.jsonl"));
        assertEquals(Files.readAllLines(Path.of(full, "metrics.jsonl")).size(), lines.size());
        for (String l : lines) {
            assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("train-rounds.schema.json"), new ObjectMapper().readTree(l)));
        }
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("run.schema.json"), SchemaCheck.json(Path.of(cut, "run.json"))));
    }

    @ParameterizedTest
    @MethodSource("augmented")
    void augmentationReadoutAndPeerNormResumeExactlyFromACheckpoint(TrainFfConfig aug, @TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 400, 10);
        SparkSession spark = SparkTests.session();
        Storage st = Storage.local();
        TrainFfConfig cfg = aug.withDist(TestData.dist(2, 1, -1).config());
        String full = tmp.resolve("full").toString();
        String cut = tmp.resolve("cut").toString();
        for (String model : List.of(full, cut)) {
            TrainJob.run(spark, st, cfg, new TrainJob.Options(data.toString(), model, null, 2, false, false, null, false, false),
                    (r, s) -> { }, w -> { });
        }
        Path ck = Path.of(cut + ".run", "checkpoints");
        List<String> rounds;
        try (Stream<Path> s = Files.list(ck)) {
            rounds = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(rounds.size() >= 4, rounds.toString());
        for (String r : rounds) {
            if (r.compareTo("round-00000001") > 0) {
                deleteTree(ck.resolve(r));
            }
        }
        deleteTree(Path.of(cut));
        TrainJob.run(spark, st, cfg, new TrainJob.Options(data.toString(), cut, null, 2, true, false, null, false, false),
                (r, s) -> { }, w -> { });
        assertArrayEquals(ModelStore.read(st, full).model().params(), ModelStore.read(st, cut).model().params());
    }

    @Test
    void perWorkerOptimizerStateResumesExactlyAndRefusesAnotherMode(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 400, 10);
        SparkSession spark = SparkTests.session();
        Storage st = Storage.local();
        TestData.Dist so = TestData.dist(2, 1, -1, org.ffspark.config.OptimizerState.PER_WORKER);
        String full = tmp.resolve("full").toString();
        String cut = tmp.resolve("cut").toString();
        List<String> rounds = trainTwice(spark, data, so, full, cut);
        Path ck = Path.of(cut + ".run", "checkpoints");
        checkCheckpointsThenCrash(ck, rounds, cut, cj -> {
            assertEquals(2, cj.path("optimizerStates").asInt());
            return 4L * (cj.path("firstMomentCount").asLong() + cj.path("secondMomentCount").asLong()) + 8L * 2 * 2;
        });
        org.ffspark.config.ConfigException e = resumeWithPlainAveraging(spark, data, cut);
        assertTrue(e.getMessage().startsWith("--resume: the run in ") && e.getMessage().contains("(dist.optimizer-state PER_WORKER -> AVERAGED)"),
                e.getMessage());
        // Even when config changes are allowed, a state of 2 worker blocks cannot feed an averaged run.
        e = org.junit.jupiter.api.Assertions.assertThrows(org.ffspark.config.ConfigException.class,
                () -> TrainJob.run(spark, st, CFG.withDist(TestData.dist(2, 1, -1).config()), new TrainJob.Options(data.toString(), cut, null, 2, true, false, null, false, true), (r, s) -> { }, w -> { }));
        assertTrue(e.getMessage().startsWith("--optimizer-state: the checkpoint of round 3") && e.getMessage().contains("holds 2 optimizer state(s)")
                && e.getMessage().contains("needs 1 (AVERAGED, 2 partitions)"), e.getMessage());
        TrainJob.run(spark, st, CFG.withDist(so.config()), new TrainJob.Options(data.toString(), cut, null, 2, true, false, null, false, false), (r, s) -> { }, w -> { });
        assertArrayEquals(ModelStore.read(st, full).model().params(), ModelStore.read(st, cut).model().params());
        JsonNode run = SchemaCheck.json(Path.of(cut, "run.json"));
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("run.schema.json"), run));
        assertEquals("PER_WORKER", run.path("spark").path("optimizerState").asText());
    }

    static TestData.Dist blockMomentum(int period, int checkpointEvery, int failRound) {
        return TestData.dist(period, checkpointEvery, failRound, org.ffspark.config.OptimizerState.AVERAGED, 0.5f, 0.8f);
    }

    @Test
    void blockStepFollowsTheBlockMomentumUpdate() {
        float[] theta = {1f, -2f, 0.5f, 3f};
        float[] v = {0.1f, 0f, -0.3f, 2f};
        float[] a = {1.5f, -2.5f, 0.5f, 2f};
        TrainState before = new TrainState(theta, new float[4], new float[4], new long[]{3}, 1, v);
        TrainState averaged = new TrainState(a, new float[]{1, 2, 3, 4}, new float[]{5, 6, 7, 8}, new long[]{5}, 1, v);
        TrainState next = SparkFfTrainer.blockStep(before, averaged, 0.75f, 0.5f);
        for (int i = 0; i < 4; i++) {
            double vi = 0.75 * v[i] + 0.5 * ((double) a[i] - theta[i]);
            assertEquals(vi, next.blockVelocity()[i], 1e-6);
            assertEquals(theta[i] + vi, next.params()[i], 1e-6);
        }
        assertArrayEquals(averaged.secondMoment(), next.secondMoment());
        assertArrayEquals(new long[]{5}, next.steps());
        // A round in which no partition ran a batch changes nothing.
        assertTrue(SparkFfTrainer.blockStep(before, before, 0.75f, 0.5f) == before);
    }

    @Test
    void blockMomentumIsDeterministicSurvivesARetryAndDiffersFromPlainAveraging() {
        LabeledImages data = TestData.mnistTrain().head(600);
        TrainState a = run(SparkTests.session(), data, 2, blockMomentum(3, 0, -1));
        TrainState retried = run(SparkTests.session(), data, 2, blockMomentum(3, 0, 2));
        assertEquals(a.params().length, a.blockVelocity().length);
        assertArrayEquals(a.params(), retried.params());
        assertArrayEquals(a.blockVelocity(), retried.blockVelocity());
        float[] plain = spark(SparkTests.session(), data, 2, 3, -1);
        assertFalse(java.util.Arrays.equals(plain, a.params()), "block momentum changes the update");
        // mu = 0, eta = 1 is plain averaging bit for bit, and carries no velocity.
        TrainState zero = run(SparkTests.session(), data, 2, TestData.dist(3, 0, -1, org.ffspark.config.OptimizerState.AVERAGED, 0f, 1f));
        assertArrayEquals(plain, zero.params());
        assertEquals(0, zero.blockVelocity().length);
    }

    @Test
    void blockMomentumResumesExactlyFromTheCheckpointedVelocity(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 400, 10);
        SparkSession spark = SparkTests.session();
        Storage st = Storage.local();
        TestData.Dist so = blockMomentum(2, 1, -1);
        String full = tmp.resolve("full").toString();
        String cut = tmp.resolve("cut").toString();
        List<String> rounds = trainTwice(spark, data, so, full, cut);
        Path ck = Path.of(cut + ".run", "checkpoints");
        int params = ModelStore.read(st, full).model().params().length;
        checkCheckpointsThenCrash(ck, rounds, cut, cj -> {
            long nv = cj.path("blockVelocityCount").asLong();
            assertEquals(params, nv);
            return 4L * (cj.path("firstMomentCount").asLong() + cj.path("secondMomentCount").asLong() + nv) + 8L * 2;
        });
        org.ffspark.config.ConfigException e = resumeWithPlainAveraging(spark, data, cut);
        assertTrue(e.getMessage().contains("dist.block-lr 0.8 -> 1.0, dist.block-momentum 0.5 -> 0.0"), e.getMessage());
        TrainJob.run(spark, st, CFG.withDist(so.config()), new TrainJob.Options(data.toString(), cut, null, 2, true, false, null, false, false), (r, s) -> { }, w -> { });
        assertArrayEquals(ModelStore.read(st, full).model().params(), ModelStore.read(st, cut).model().params());
        JsonNode run = SchemaCheck.json(Path.of(cut, "run.json"));
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("run.schema.json"), run));
        assertEquals(0.5, run.path("spark").path("blockMomentum").asDouble(), 1e-9);
    }

    @Test
    void divergingDistributedTrainingStopsBeforeWritingAModel(@TempDir Path tmp) {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 200, 10);
        TrainFfConfig bad = TrainFfConfig.load(null, List.of("ff.layers=784,16", "train.epochs=2", "train.batch-size=50",
                "train.optimizer=SGD", "train.learning-rate=1e30"));
        String model = tmp.resolve("m").toString();
        org.ffspark.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(org.ffspark.config.ConfigException.class,
                () -> TrainJob.run(SparkTests.session(), Storage.local(), bad.withDist(TestData.dist(2, 1, -1).config()), new TrainJob.Options(data.toString(), model, null, 2, false, false, null, false, false), (r, s) -> { }, w -> { }));
        assertTrue(e.getMessage().contains("training diverged at round"), e.getMessage());
        assertFalse(Files.exists(Path.of(model)));
    }

    @Test
    void divergenceAfterCheckpointsKeepsTheLastGoodCheckpoint(@TempDir Path tmp) {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 200, 10);
        String runDir = tmp.resolve("run").toString();
        TestData.Dist so = TestData.dist(2, 1, -1);
        TrainFfConfig good = TrainFfConfig.load(null, List.of("ff.layers=784,16", "train.epochs=1", "train.batch-size=50"));
        TrainJob.run(SparkTests.session(), Storage.local(), good.withDist(so.config()), new TrainJob.Options(data.toString(), tmp.resolve("m1").toString(), runDir, 2, false, false, null, false, false), (r, s) -> { }, w -> { });
        org.ffspark.io.CheckpointStore store = new org.ffspark.io.CheckpointStore(Storage.local(), runDir);
        int lastGood = store.latest(w -> { }).orElseThrow().round();
        // Continue the same run for a second epoch with an absurd learning rate: the first new round diverges.
        TrainFfConfig absurd = TrainFfConfig.load(null, List.of("ff.layers=784,16", "train.epochs=2", "train.batch-size=50",
                "train.learning-rate=1e30"));
        String m2 = tmp.resolve("m2").toString();
        // A resume refuses other settings unless told otherwise, naming each difference.
        org.ffspark.config.ConfigException refused = org.junit.jupiter.api.Assertions.assertThrows(org.ffspark.config.ConfigException.class,
                () -> TrainJob.run(SparkTests.session(), Storage.local(), absurd.withDist(so.config()), new TrainJob.Options(data.toString(), m2, runDir, 2, true, false, null, false, false), (r, s) -> { }, w -> { }));
        assertTrue(refused.getMessage().contains("train.epochs 1 -> 2") && refused.getMessage().contains("train.learning-rate 0.03 -> 1.0E30")
                && refused.getMessage().contains("--allow-config-change"), refused.getMessage());
        List<String> warnings = new ArrayList<>();
        org.ffspark.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(org.ffspark.config.ConfigException.class,
                () -> TrainJob.run(SparkTests.session(), Storage.local(), absurd.withDist(so.config()), new TrainJob.Options(data.toString(), m2, runDir, 2, true, false, null, false, true), (r, s) -> { }, warnings::add));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("other settings") && w.contains("--allow-config-change")), warnings.toString());
        assertTrue(e.getMessage().startsWith("train.learning-rate: training diverged at round " + (lastGood + 2)), e.getMessage());
        org.ffspark.io.CheckpointStore.Checkpoint kept = store.latest(w -> { throw new AssertionError(w); }).orElseThrow();
        assertEquals(lastGood, kept.round(), "no checkpoint after the last good round");
        for (float v : kept.state().params()) {
            assertTrue(Float.isFinite(v));
        }
        assertFalse(Files.exists(Path.of(m2)), "no model");
    }

    /** Trains the same run into {@code full} and {@code cut}; returns the checkpoint directory names of {@code cut}, sorted. */
    static List<String> trainTwice(SparkSession spark, Path data, TestData.Dist so, String full, String cut) throws Exception {
        for (String model : List.of(full, cut)) {
            TrainJob.run(spark, Storage.local(), CFG.withDist(so.config()), new TrainJob.Options(data.toString(), model, null, 2, false, false, null, false, false), (r, s) -> { }, w -> { });
        }
        try (Stream<Path> s = Files.list(Path.of(cut + ".run", "checkpoints"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Checks every checkpoint against its schema and its optimizer.bin length ({@code optimizerBytes}, which may
     * assert more), then simulates a crash after round 3: later checkpoints and the model are deleted.
     */
    static void checkCheckpointsThenCrash(Path ck, List<String> rounds, String model,
                                          java.util.function.ToLongFunction<JsonNode> optimizerBytes) throws Exception {
        for (String r : rounds) {
            JsonNode cj = SchemaCheck.json(ck.resolve(r).resolve("checkpoint.json"));
            assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("checkpoint.schema.json"), cj), r);
            assertEquals(optimizerBytes.applyAsLong(cj), Files.size(ck.resolve(r).resolve("optimizer.bin")), r);
            if (r.compareTo("round-00000002") > 0) {
                deleteTree(ck.resolve(r));
            }
        }
        deleteTree(Path.of(model));
    }

    /** A resume of {@code model}'s run with default (plain averaging) options must be refused; returns the refusal. */
    static org.ffspark.config.ConfigException resumeWithPlainAveraging(SparkSession spark, Path data, String model) {
        return org.junit.jupiter.api.Assertions.assertThrows(org.ffspark.config.ConfigException.class,
                () -> TrainJob.run(spark, Storage.local(), CFG.withDist(TestData.dist(2, 1, -1).config()), new TrainJob.Options(data.toString(), model, null, 2, true, false, null, false, false), (r, s) -> { }, w -> { }));
    }

    static void deleteTree(Path p) throws Exception {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}

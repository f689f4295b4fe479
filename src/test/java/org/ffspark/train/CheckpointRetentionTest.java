package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.SparkSession;
import org.ffspark.SchemaCheck;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.config.ConfigException;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.Checksums;
import org.ffspark.ff.TrainState;
import org.ffspark.io.CheckpointStore;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.job.TrainJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a long run leaves behind: a bounded number of checkpoints whose metrics are stored once per run, and never a
 * checkpoint or a model holding a NaN, even when the NaN comes from the update after a round's last forward pass.
 */
class CheckpointRetentionTest {
    static List<String> rounds(String runDir) throws Exception {
        try (Stream<Path> s = Files.list(Path.of(runDir, "checkpoints"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static TrainJob.Options options(Path data, String model, boolean resume) {
        return new TrainJob.Options(data.toString(), model, null, 2, resume, false, null, false, false);
    }

    @Test
    void aSixtyEpochRunWithDefaultRetentionLeavesThreeCheckpointsAndStoresItsMetricsOnce(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 200, 10);
        // Averaging every 1000 batches: one round per epoch, 60 rounds, a checkpoint every 5.
        TrainFfConfig cfg = TrainFfConfig.load(null, List.of("ff.layers=784,8", "train.epochs=60", "train.batch-size=50",
                "dist.averaging-period=1000", "dist.checkpoint-every=5"));
        assertEquals(3, cfg.dist().checkpointKeep(), "the default");
        String model = tmp.resolve("m").toString();
        TrainJob.run(SparkTests.session(), Storage.local(), cfg, options(data, model, false), (r, s) -> { }, w -> { });
        assertEquals(List.of("round-00000049", "round-00000054", "round-00000059"), rounds(model + ".run"));
        JsonNode cj = SchemaCheck.json(Path.of(model + ".run", "checkpoints", "round-00000054", "checkpoint.json"));
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("checkpoint.schema.json"), cj));
        assertEquals(55, cj.path("metricLines").asInt(), "counts the run's lines up to its round");
        assertFalse(cj.has("metrics"), "does not copy them");
        assertEquals(60, Files.readAllLines(Path.of(model + ".run", CheckpointStore.METRICS)).size());

        // Every 4th checkpoint of the cadence (rounds 20, 40, 60) is permanent.
        String kept = tmp.resolve("k").toString();
        TrainJob.run(SparkTests.session(), Storage.local(), cfg.with(org.ffspark.config.ConfigKeys.CHECKPOINT_PERMANENT_EVERY, "4"),
                options(data, kept, false), (r, s) -> { }, w -> { });
        assertEquals(List.of("round-00000019", "round-00000039", "round-00000049", "round-00000054", "round-00000059"), rounds(kept + ".run"));
    }

    @Test
    void aNanInTheLastStepOfARoundReachesNoCheckpointNorModelAndResumeContinuesFromTheLastFiniteOne(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 400, 10);
        SparkSession spark = SparkTests.session();
        TrainFfConfig cfg = SparkFfTrainerTest.CFG.withDist(TestData.dist(2, 1, -1).config());
        String whole = tmp.resolve("whole").toString();
        TrainJob.run(spark, Storage.local(), cfg, options(data, whole, false), (r, s) -> { }, w -> { });
        String model = tmp.resolve("m").toString();
        List<Integer> seen = new ArrayList<>();
        spark.sparkContext().setLocalProperty(SparkFfTrainer.NAN_AFTER_ROUND, "1");
        ConfigException e;
        try {
            e = assertThrows(ConfigException.class, () -> TrainJob.run(spark, Storage.local(), cfg, options(data, model, false),
                    (r, s) -> seen.add(r.position().round()), w -> { }));
        } finally {
            spark.sparkContext().setLocalProperty(SparkFfTrainer.NAN_AFTER_ROUND, null);
        }
        assertTrue(e.getMessage().startsWith("train.learning-rate: training diverged at round 2 (parameter 0 is NaN)")
                && e.getMessage().endsWith("nothing was written"), e.getMessage());
        assertEquals(List.of(0), seen, "the round with the NaN is not reported");
        assertEquals(List.of("round-00000000"), rounds(model + ".run"));
        assertFalse(Files.exists(Path.of(model)), "no model");
        CheckpointStore store = new CheckpointStore(Storage.local(), model + ".run");
        assertEquals(0, store.latest(w -> { throw new AssertionError(w); }).orElseThrow().round());

        List<String> warnings = new ArrayList<>();
        TrainJob.run(spark, Storage.local(), cfg, options(data, model, true), (r, s) -> { }, warnings::add);
        assertEquals(List.of(), warnings);
        assertArrayEquals(ModelStore.read(Storage.local(), whole).model().params(), ModelStore.read(Storage.local(), model).model().params(),
                "resumed from round 2 to the uninterrupted result");
        assertEquals(Files.readAllLines(Path.of(whole, "metrics.jsonl")).size(), Files.readAllLines(Path.of(model, "metrics.jsonl")).size());
    }

    @Test
    void aNonFiniteCheckpointIsNeverWrittenAndOnResumeIsSkippedForThePreviousOne(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 400, 10);
        TrainFfConfig cfg = SparkFfTrainerTest.CFG.withDist(TestData.dist(2, 1, -1).config());
        String model = tmp.resolve("m").toString();
        TrainJob.run(SparkTests.session(), Storage.local(), cfg, options(data, model, false), (r, s) -> { }, w -> { });
        CheckpointStore store = new CheckpointStore(Storage.local(), model + ".run");
        CheckpointStore.Checkpoint newest = store.latest(w -> { throw new AssertionError(w); }).orElseThrow();

        // Writing refuses a state with an infinity, as a diverged run.
        TrainState s = newest.state();
        float[] bad = s.firstMoment().clone();
        bad[7] = Float.POSITIVE_INFINITY;
        TrainState inf = new TrainState(s.params(), bad, s.secondMoment(), s.steps(), s.workers(), s.blockVelocity());
        ConfigException e = assertThrows(ConfigException.class, () -> store.write(newest.round() + 1, inf, cfg.ff(),
                new ModelStore.Provenance(cfg.modelMap(), java.util.Map.of(), 42, "test", "test", "test"), 0, java.util.Map.of(),
                CheckpointStore.Retention.of(cfg.dist())));
        assertTrue(e.getMessage().contains("training diverged at round " + (newest.round() + 2) + " (first moment 7 is Infinity)"), e.getMessage());
        assertEquals(newest.round(), store.latest(w -> { }).orElseThrow().round(), "nothing written");

        // A NaN put into the newest checkpoint on storage (checksum updated, so only finiteness can tell).
        Path dir = Path.of(model + ".run", "checkpoints", String.format("round-%08d", newest.round()));
        byte[] opt = Files.readAllBytes(dir.resolve("optimizer.bin"));
        ByteBuffer.wrap(opt).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * 3, Float.NaN);
        Files.write(dir.resolve("optimizer.bin"), opt);
        ObjectNode cj = (ObjectNode) SchemaCheck.json(dir.resolve("checkpoint.json"));
        cj.put("optimizerSha256", Checksums.sha256(opt));
        Files.write(dir.resolve("checkpoint.json"), new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(cj));
        List<String> warnings = new ArrayList<>();
        CheckpointStore.Checkpoint fallback = store.latest(warnings::add).orElseThrow();
        assertEquals(newest.round() - 1, fallback.round(), "the one before");
        assertTrue(warnings.size() == 1 && warnings.get(0).contains(dir.getFileName().toString())
                && warnings.get(0).contains("non-finite value (first moment 3 is NaN)"), warnings.toString());
        assertEquals(newest.round(), fallback.metricLines().size(), "its own metric lines, from the run's file");
    }
}

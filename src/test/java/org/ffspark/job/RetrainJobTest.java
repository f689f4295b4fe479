package org.ffspark.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.SparkSession;
import org.ffspark.SchemaCheck;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.io.LockedException;
import org.ffspark.io.ModelStore;
import org.ffspark.io.RunLock;
import org.ffspark.io.Storage;
import org.ffspark.registry.ModelRegistry;
import org.ffspark.saliency.SaliencyMethod;
import org.ffspark.train.SparkFfTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retraining against a registry on a slice of MNIST: the first version becomes champion with a report; a much
 * worse one stays a candidate and leaves the champion alone; a better warm-started one is promoted and retires
 * the old champion; a retrain while another holds the lock is refused and changes nothing.
 */
class RetrainJobTest {
    static final TrainFfConfig GOOD = TrainFfConfig.load(null, List.of("ff.layers=784,64,64", "train.epochs=3",
            "train.batch-size=50", "train.learning-rate=0.1"));

    static RetrainJob.Options options(Path registry, Path data, boolean fresh, double tolerance) {
        return new RetrainJob.Options(registry.toString(), data.toString(), null, fresh, tolerance, 2, 20, List.of(SaliencyMethod.FF_OCCLUSION, SaliencyMethod.RANDOM), Duration.ofMinutes(10));
    }

    static RetrainJob.Result retrain(Path registry, Path data, TrainFfConfig cfg, boolean fresh, double tolerance, List<String> log) {
        return RetrainJob.run(SparkTests.session(), Storage.local(), cfg.withDist(TestData.dist(5, 0, -1).config()), options(registry, data, fresh, tolerance), (r, s) -> { }, log::add);
    }

    static JsonNode registryJson(Path registry) {
        JsonNode doc = SchemaCheck.json(registry.resolve("registry.json"));
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("model-registry.schema.json"), doc));
        return doc;
    }

    @Test
    void promotesTheFirstAndBetterVersionsKeepsAWorseOneAsCandidateAndRefusesAConcurrentRun(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 2000, 300);
        Path reg = tmp.resolve("registry");
        List<String> log = new ArrayList<>();

        RetrainJob.Result first = retrain(reg, data, GOOD, false, 0.0, log);
        assertEquals("v000001", first.version());
        assertTrue(first.promoted());
        assertTrue(first.championAccuracy().isEmpty());
        assertTrue(Files.exists(reg.resolve("versions/v000001/report/report.html")));
        JsonNode doc = registryJson(reg);
        assertEquals("v000001", doc.get("champion").asText());
        assertEquals("champion", doc.at("/versions/0/status").asText());
        assertFalse(doc.at("/versions/0/warmStart").asBoolean());
        assertEquals(first.accuracy(), doc.at("/versions/0/testAccuracy").asDouble());
        assertTrue(doc.at("/versions/0/dataChecksums").size() >= 2, "training data checksums recorded");
        assertFalse(Files.exists(reg.resolve("retrain.lock")), "lock released");
        byte[] championParams = Files.readAllBytes(reg.resolve("versions/v000001/model/params.bin"));

        // Worse: a fresh start with a learning rate far too small for 3 epochs stays near chance.
        TrainFfConfig bad = TrainFfConfig.load(null, List.of("ff.layers=784,64,64", "train.epochs=1", "train.batch-size=50",
                "train.learning-rate=0.000001"));
        RetrainJob.Result worse = retrain(reg, data, bad, true, 0.01, log);
        assertEquals("v000002", worse.version());
        assertFalse(worse.promoted(), worse.reason());
        assertEquals(first.accuracy(), worse.championAccuracy().getAsDouble(), 1e-12, "champion re-evaluated on the same test split");
        assertTrue(worse.reason().startsWith("worse than the champion"), worse.reason());
        assertNull(worse.report());
        doc = registryJson(reg);
        assertEquals("v000001", doc.get("champion").asText());
        assertEquals("candidate", doc.at("/versions/1/status").asText());
        assertFalse(Files.exists(reg.resolve("versions/v000002/report")), "no report for a candidate");
        assertArrayEquals(championParams, Files.readAllBytes(reg.resolve("versions/v000001/model/params.bin")));

        // Better: warm start from the champion and train on.
        RetrainJob.Result better = retrain(reg, data, GOOD, false, 0.0, log);
        assertEquals("v000003", better.version());
        assertTrue(better.promoted(), better.reason());
        assertTrue(better.accuracy() >= first.accuracy(), better.reason());
        doc = registryJson(reg);
        assertEquals("v000003", doc.get("champion").asText());
        assertEquals("retired", doc.at("/versions/0/status").asText());
        assertEquals("candidate", doc.at("/versions/1/status").asText());
        assertEquals("champion", doc.at("/versions/2/status").asText());
        assertTrue(doc.at("/versions/2/warmStart").asBoolean());
        assertEquals("v000001", doc.at("/versions/2/parent").asText());
        JsonNode run = SchemaCheck.json(reg.resolve("versions/v000003/model/run.json"));
        assertTrue(run.get("initModel").asText().endsWith("versions/v000001/model"), run.toString());
        assertTrue(Files.exists(reg.resolve("versions/v000003/report/report.html")));

        // Concurrent: another run holds the lock.
        byte[] before = Files.readAllBytes(reg.resolve("registry.json"));
        org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path(reg.resolve(ModelRegistry.LOCK).toUri());
        try (RunLock held = RunLock.acquire(Storage.local(), lock, "other-run", Duration.ofMinutes(10), w -> { })) {
            LockedException e = assertThrows(LockedException.class, () -> retrain(reg, data, GOOD, false, 0.0, log));
            assertTrue(e.getMessage().contains("held by run other-run"), e.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(reg.resolve("registry.json")));
        try (Stream<Path> s = Files.list(reg.resolve("versions"))) {
            assertEquals(List.of("v000001", "v000002", "v000003"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(ModelStore.read(Storage.local(), reg.resolve("versions/v000003/model").toString()).model().params().length,
                ModelStore.read(Storage.local(), reg.resolve("versions/v000001/model").toString()).model().params().length);
    }

    @Test
    void aWarmStartWithAnotherArchitectureIsRefusedBeforeTraining(@TempDir Path tmp) {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 300, 50);
        Path reg = tmp.resolve("registry");
        List<String> log = new ArrayList<>();
        TrainFfConfig tiny = TrainFfConfig.load(null, List.of("ff.layers=784,16,16", "train.epochs=1", "train.batch-size=50"));
        retrain(reg, data, tiny, false, 0.0, log);
        TrainFfConfig other = TrainFfConfig.load(null, List.of("ff.layers=784,32,16", "train.epochs=1", "train.batch-size=50"));
        org.ffspark.config.ConfigException e = assertThrows(org.ffspark.config.ConfigException.class, () -> retrain(reg, data, other, false, 0.0, log));
        assertTrue(e.getMessage().contains("differs from the warm-start model"), e.getMessage());
        assertEquals("v000001", registryJson(reg).get("champion").asText());
        assertEquals(1, registryJson(reg).get("versions").size());
    }
}

package org.ffspark.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.ffspark.ClusterTest;
import org.ffspark.Processes;
import org.ffspark.SchemaCheck;
import org.ffspark.TestData;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retrain killed with SIGKILL in the middle of training (a real 'ffspark retrain' process) leaves the registry
 * file and the champion byte for byte as they were; the next retrain takes over the dead run's lock, skips the
 * orphaned version number and registers normally.
 */
class RetrainKillTest {
    @ClusterTest
    void aRetrainKilledMidwayLeavesTheChampionAndRegistryUntouched(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 2000, 300);
        Path reg = tmp.resolve("registry");
        List<String> log = new ArrayList<>();
        RetrainJob.Result first = RetrainJobTest.retrain(reg, data, RetrainJobTest.GOOD, false, 0.0, log);
        assertEquals("v000001", first.version());
        byte[] registryBefore = Files.readAllBytes(reg.resolve("registry.json"));
        byte[] paramsBefore = Files.readAllBytes(reg.resolve("versions/v000001/model/params.bin"));
        byte[] manifestBefore = Files.readAllBytes(reg.resolve("versions/v000001/model/manifest.json"));

        Path out = tmp.resolve("killed.log");
        Process p = new ProcessBuilder(TestData.projectDir().resolve("bin/ffspark").toString(), "retrain", "--master", "local[2]",
                "--registry", reg.toString(), "--data", data.toString(), "--set", "ff.layers=784,64,64", "--set", "train.epochs=200",
                "--set", "train.batch-size=50", "--partitions", "2", "--averaging-period", "2", "--checkpoint-every", "5")
                .directory(TestData.projectDir().toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Path metrics = reg.resolve("versions/v000002/run/metrics.jsonl");
        long deadline = System.currentTimeMillis() + 120_000;
        while (!(Files.exists(metrics) && Files.exists(reg.resolve("versions/v000002/run/checkpoints"))) && p.isAlive()
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        if (!p.isAlive() || !Files.exists(metrics)) {
            fail("the retrain did not get into training: " + Processes.tail(out));
        }
        assertTrue(Files.exists(reg.resolve("retrain.lock")), "the running retrain holds the lock");
        p.destroyForcibly();  // SIGKILL: no shutdown hooks, no cleanup
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed by SIGKILL");

        assertArrayEquals(registryBefore, Files.readAllBytes(reg.resolve("registry.json")), "registry untouched");
        assertArrayEquals(paramsBefore, Files.readAllBytes(reg.resolve("versions/v000001/model/params.bin")), "champion untouched");
        assertArrayEquals(manifestBefore, Files.readAllBytes(reg.resolve("versions/v000001/model/manifest.json")));
        assertTrue(Files.exists(reg.resolve("retrain.lock")), "the dead run's lock is left behind");

        RetrainJob.Result next = RetrainJobTest.retrain(reg, data, RetrainJobTest.GOOD, false, 0.05, log);
        assertEquals("v000003", next.version(), "the orphaned v000002 is never reused");
        assertTrue(log.stream().anyMatch(l -> l.contains("taking over a stale lock") && l.contains("is gone")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("v000002: left by an unfinished retrain")), log.toString());
        JsonNode doc = RetrainJobTest.registryJson(reg);
        assertEquals(2, doc.get("versions").size());
        assertEquals(List.of("v000001", "v000003"), List.of(doc.at("/versions/0/version").asText(), doc.at("/versions/1/version").asText()));
    }
}

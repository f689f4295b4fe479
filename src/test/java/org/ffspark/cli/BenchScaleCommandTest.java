package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ffspark.ClusterTest;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.junit.jupiter.api.io.TempDir;

class BenchScaleCommandTest {
    /**
     * Two and four executor JVMs, both optimizer-state modes: the file follows its schema, every executor is
     * counted, and the driver's bytes per round stay near one averaged state (one parameter vector per worker mode)
     * instead of growing with the executors.
     */
    @ClusterTest
    void recordsDriverBytesTasksAndExecutorTrafficPerExecutorCount(@TempDir Path tmp) throws Exception {
        SparkTests.stopShared();
        Path out = tmp.resolve("scale.json");
        // The command gives executors this JVM's class path; under Surefire that is a booter jar, the test's is test.cp.
        String cp = System.getProperty("java.class.path");
        System.setProperty("java.class.path", System.getProperty("test.cp"));
        MainTest.Run r;
        try {
            r = MainTest.run("bench-scale", "--data", TestData.mnistDir().toString(), "--configs", "784,64",
                    "--executors", "2,4", "--warmup-rounds", "1", "--rounds", "2", "--executor-memory", "512", "--out", out.toString());
        } finally {
            System.setProperty("java.class.path", cp);
        }
        assertEquals(0, r.code(), r.err() + r.out());
        JsonNode doc = new ObjectMapper().readTree(out.toFile());
        assertEquals(List.of(), org.ffspark.SchemaCheck.violations(org.ffspark.SchemaCheck.schema("bench-scale.schema.json"), doc));
        assertEquals(2, doc.get("results").size(), "averaged and per-worker");
        for (JsonNode res : doc.get("results")) {
            long state = res.get("stateBytes").asLong();
            JsonNode points = res.get("points");
            assertEquals(2, points.size());
            for (JsonNode p : points) {
                int n = p.get("executors").asInt();
                assertEquals(n, p.get("perExecutor").size(), "every executor ran round tasks: " + p);
                assertTrue(p.get("rounds").asInt() >= 2, p.toString());
                assertTrue(p.get("tasksPerRound").asDouble() >= n, p.toString());
                double driver = p.get("driverBytesPerRound").asDouble();
                assertTrue(driver > 0.9 * state && driver < 2 * state, res.get("optimizerState") + " N=" + n + ": " + driver + " bytes, state " + state);
            }
            double two = points.get(0).get("driverBytesPerRound").asDouble();
            double four = points.get(1).get("driverBytesPerRound").asDouble();
            assertTrue(four <= 1.5 * two, res.get("optimizerState") + ": " + four + " bytes at N=4 against " + two + " at N=2");
        }
    }
}

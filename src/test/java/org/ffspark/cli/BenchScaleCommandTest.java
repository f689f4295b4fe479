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
                    "--executors", "1,2,4", "--warmup-rounds", "1", "--rounds", "2", "--executor-memory", "512", "--out", out.toString());
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
            assertEquals(3, points.size());
            for (JsonNode p : points) {
                int n = p.get("executors").asInt();
                assertEquals(n, p.get("perExecutor").size(), "every executor ran round tasks: " + p);
                assertTrue(p.get("rounds").asInt() >= 2, p.toString());
                assertTrue(p.get("tasksPerRound").asDouble() >= n, p.toString());
                org.ffspark.train.ScalingModel.Plan plan = org.ffspark.train.ScalingModel.plan(n, 2);
                if (res.get("optimizerState").asText().equals("AVERAGED")) {
                    assertEquals(plan.tasks(), p.get("tasksPerRound").asDouble(), 1e-9, "Spark ran the planned tasks: " + p);
                    assertEquals(plan.stages(), p.get("stagesPerRound").asDouble(), 1e-9, "and stages: " + p);
                }
                double driver = p.get("driverBytesPerRound").asDouble();
                assertTrue(driver > 0.9 * state && driver < 2 * state, res.get("optimizerState") + " N=" + n + ": " + driver + " bytes, state " + state);
            }
            double two = points.get(1).get("driverBytesPerRound").asDouble();
            double four = points.get(2).get("driverBytesPerRound").asDouble();
            assertTrue(four <= 1.5 * two, res.get("optimizerState") + ": " + four + " bytes at N=4 against " + two + " at N=2");
        }

        // The model: fitted to the same file, validated on it (its N = 1 point sets the compute), plotted.
        Path model = tmp.resolve("model.json");
        Path png = tmp.resolve("scaling.png");
        MainTest.Run m = MainTest.run("scale-model", "--scale", out.toString(), "--validation", out.toString(),
                "--epochs-to-97", "10=20,50=17", "--out", model.toString(), "--plot", png.toString());
        assertEquals(0, m.code(), m.err() + m.out());
        JsonNode fit = new ObjectMapper().readTree(model.toFile());
        assertEquals(List.of(), org.ffspark.SchemaCheck.violations(org.ffspark.SchemaCheck.schema("scale-model.schema.json"), fit));
        for (String cost : List.of("secondsPerStage", "secondsPerTask", "secondsPerByte")) {
            assertTrue(fit.get(cost).asDouble() >= 0, cost + " " + fit);
        }
        assertEquals(6, fit.get("validation").size(), "three executor counts, two modes");
        assertEquals(3 * 7, fit.get("predictions").size(), "one network and mode, periods 10, 50, 300, N = 1..64");
        for (JsonNode p : fit.get("predictions")) {
            assertTrue(p.get("examplesPerSecond").asDouble() > 0, p.toString());
        }
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(1280, img.getWidth(), "two 640-pixel panels");
    }
}

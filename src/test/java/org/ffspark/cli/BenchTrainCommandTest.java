package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ffspark.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchTrainCommandTest {
    @Test
    void repeatsRecordEveryRunAndReportTheMedianAndRangeOfTheRatio(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("bench-train.json");
        MainTest.Run r = MainTest.run("bench-train", "--data", TestData.mnistDir().toString(), "--configs", "784,16",
                "--examples", "400", "--epochs", "1", "--warmup-epochs", "0", "--warmup-rounds", "2", "--repeats", "2",
                "--averaging-period", "2", "--no-cluster", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("median of 2 repeats"), r.out());
        JsonNode doc = new ObjectMapper().readTree(out.toFile());
        assertEquals(List.of(), org.ffspark.SchemaCheck.violations(org.ffspark.SchemaCheck.schema("bench-train.schema.json"), doc));
        JsonNode result = doc.get("results").get(0);
        assertEquals(2, result.get("averagingPeriodBatches").asInt());
        JsonNode repeats = result.get("repeats");
        assertEquals(2, repeats.size());
        List<Double> ratios = new ArrayList<>();
        for (JsonNode rep : repeats) {
            assertEquals(2, rep.get("runs").size(), "single JVM and local[2] in every repeat");
            double single = rep.get("runs").get(0).get("examplesPerSecond").asDouble();
            double spark = rep.get("runs").get(1).get("examplesPerSecond").asDouble();
            assertTrue(single > 0 && spark > 0, rep.toString());
            assertEquals(spark / single, rep.get("sparkLocal2OverSingleJvm").asDouble(), 1e-9);
            ratios.add(spark / single);
        }
        assertEquals(Medians.of(ratios), result.get("sparkLocal2OverSingleJvm").asDouble(), 1e-12);
        assertEquals(java.util.Collections.min(ratios), result.get("sparkLocal2OverSingleJvmMin").asDouble(), 1e-12);
        assertEquals(java.util.Collections.max(ratios), result.get("sparkLocal2OverSingleJvmMax").asDouble(), 1e-12);
    }

    @Test
    void perWorkerOptimizerStateIsBenchmarkedAndRecorded(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("bench-train.json");
        MainTest.Run r = MainTest.run("bench-train", "--data", TestData.mnistDir().toString(), "--configs", "784,16",
                "--examples", "400", "--epochs", "1", "--warmup-epochs", "0", "--warmup-rounds", "2",
                "--averaging-period", "2", "--optimizer-state", "per-worker", "--no-cluster", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        assertEquals("PER_WORKER", root.get("optimizerState").asText());
        JsonNode spark = root.get("results").get(0).get("repeats").get(0).get("runs").get(1);
        assertTrue(spark.get("examplesPerSecond").asDouble() > 0 && spark.get("rounds").asInt() > 0, spark.toString());
    }
}

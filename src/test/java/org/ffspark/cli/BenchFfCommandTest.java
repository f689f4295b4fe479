package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class BenchFfCommandTest {
    @Test
    void epochTimesSeparateTheWarmUpEpochFromTheRest() {
        BenchFfCommand.EpochTimes t = BenchFfCommand.EpochTimes.of(List.of(3.3, 2.7, 2.4, 2.8, 2.5));
        assertEquals(3.3, t.first());
        assertEquals(2.6, t.medianAfterFirst(), 1e-12);
        assertEquals(2.4, t.bestAfterFirst());
        assertEquals(2.8, t.worstAfterFirst());

        BenchFfCommand.EpochTimes odd = BenchFfCommand.EpochTimes.of(List.of(4.0, 3.0, 1.0, 2.0));
        assertEquals(2.0, odd.medianAfterFirst());
    }

    @Test
    void aSingleEpochIsItsOwnMedian() {
        BenchFfCommand.EpochTimes t = BenchFfCommand.EpochTimes.of(List.of(3.1));
        assertEquals(3.1, t.first());
        assertEquals(3.1, t.medianAfterFirst());
        assertThrows(IllegalArgumentException.class, () -> BenchFfCommand.EpochTimes.of(List.of()));
    }

    @Test
    void mediansOfOddAndEvenCounts() {
        assertEquals(2.0, Medians.of(List.of(3.0, 1.0, 2.0)));
        assertEquals(1.5, Medians.of(List.of(2.0, 1.0)));
        assertThrows(IllegalArgumentException.class, () -> Medians.of(List.of()));
    }

    @Test
    void writesAResultFileMatchingItsSchema(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path out = tmp.resolve("bench-ff.json");
        MainTest.Run r = MainTest.run("bench-ff", "--data", org.ffspark.TestData.mnistDir().toString(), "--configs", "784,16",
                "--steps", "40", "--epochs", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode doc = org.ffspark.SchemaCheck.json(out);
        assertEquals(List.of(), org.ffspark.SchemaCheck.violations(org.ffspark.SchemaCheck.schema("bench-ff.schema.json"), doc));
        com.fasterxml.jackson.databind.JsonNode res = doc.get("results").get(0);
        assertEquals("784,16", res.get("layers").asText());
        assertEquals(2, res.get("epochSeconds").size());
        double peak = doc.get("peakGflops").asDouble();
        org.junit.jupiter.api.Assertions.assertTrue(peak > 1, "a measured peak: " + peak);
        assertEquals(res.get("achievedGflops").asDouble() / peak, res.get("achievedToPeak").asDouble(), 1e-9);
        // 784-16, second epoch: forward of B rows, then 2B-row forward of nothing else, gradient of B rows per step
        double flops = 4.0 * 60000 * 784 * 16;
        assertEquals(flops / res.get("epochSeconds").get(1).asDouble() / 1e9, res.get("epochGflops").asDouble(),
                0.05 * res.get("epochGflops").asDouble(), "GFLOP/s performed over the second epoch");
        assertEquals(res.get("epochGflops").asDouble() / peak, res.get("epochToPeak").asDouble(), 1e-9);
        double acc = res.get("testAccuracy").asDouble();
        org.junit.jupiter.api.Assertions.assertTrue(acc > 0.5 && acc <= 1, "one epoch of 784-16 learns: " + acc);
    }

    /** Every result file kept in bench/results/ matches the schema of the benchmark that wrote it. */
    @Test
    void keptResultFilesMatchTheirSchemas() throws Exception {
        java.nio.file.Path dir = org.ffspark.TestData.projectDir().resolve("bench/results");
        List<java.nio.file.Path> files;
        try (var s = java.nio.file.Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        org.junit.jupiter.api.Assertions.assertFalse(files.isEmpty(), "bench/results holds result files");
        for (java.nio.file.Path f : files) {
            com.fasterxml.jackson.databind.JsonNode doc = org.ffspark.SchemaCheck.json(f);
            String schema = "ffspark-compare".equals(doc.path("format").asText()) ? "compare-results.schema.json"
                    : doc.has("seeds") ? "bench-accuracy.schema.json" : doc.has("mlpModel") ? "saliency-faithfulness.schema.json" : doc.has("cores") ? "bench-ff.schema.json"
                    : doc.has("driverMaxResultSize") ? "bench-scale.schema.json" : doc.has("secondsPerStage") ? "scale-model.schema.json"
                    : doc.has("optimizerState") ? "bench-train.schema.json" : "bench-saliency.schema.json";
            assertEquals(List.of(), org.ffspark.SchemaCheck.violations(org.ffspark.SchemaCheck.schema(schema), doc), f.toString());
        }
    }
}

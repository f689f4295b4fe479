package org.ffspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.ffspark.SchemaCheck;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FF (Spark, test after each epoch) and MLP runs on the same slice and shards, compared into a table and plots. */
class CompareJobTest {
    @Test
    void tableCsvAndPlotsFromAnFfAndAnMlpRun(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 1000, 200);
        Path runs = tmp.resolve("runs/mnist");
        TrainFfConfig cfg = TrainFfConfig.load(null, List.of("ff.layers=784,32,32", "train.epochs=3", "train.batch-size=50"));
        TrainJob.run(SparkTests.session(), Storage.local(), cfg.withDist(TestData.dist(5, 0, -1).config()), new TrainJob.Options(data.toString(), runs.resolve("ff").toString(), null, 2, false, false, null, true, false), (r, s) -> { }, w -> { });
        int epochLines = 0;
        for (String l : Files.readAllLines(runs.resolve("ff/metrics.jsonl"))) {
            assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("train-rounds.schema.json"), new ObjectMapper().readTree(l)));
            epochLines += l.contains("testAccuracy") ? 1 : 0;
        }
        assertEquals(3, epochLines, "test accuracy after each of the 3 epochs");
        MlpTrainJob.run(SparkTests.session(), Storage.local(), cfg, new MlpTrainJob.Options(data.toString(), runs.resolve("mlp").toString(), 2, 3e-3, 5, false),
                r -> { });

        String out = tmp.resolve("compare").toString();
        List<org.ffspark.report.ComparisonReport.Run> result = CompareJob.run(Storage.local(), tmp.resolve("runs").toString(), out, false);
        assertEquals(2, result.size());
        assertEquals(3, result.get(0).accuracy().length);
        assertEquals(3, result.get(1).accuracy().length);
        List<String> csv = Files.readAllLines(Path.of(out, "results.csv"));
        assertEquals("dataset,model,epochs,test_accuracy,best_accuracy,training_seconds,examples_per_second", csv.get(0));
        assertTrue(csv.get(1).startsWith("mnist,FF (goodness),3,") && csv.get(2).startsWith("mnist,MLP (DL4J),3,"), csv.toString());
        assertEquals(3000, result.get(0).examples(), "3 epochs of 1,000 examples");
        assertTrue(Files.readString(Path.of(out, "results.md")).contains("| mnist | FF (goodness) | 3 |"));
        com.fasterxml.jackson.databind.JsonNode json = SchemaCheck.json(Path.of(out, "results.json"));
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("compare-results.schema.json"), json));
        com.fasterxml.jackson.databind.JsonNode ff = json.get("rows").get(0);
        assertEquals(3, ff.get("testAccuracyByEpoch").size());
        assertEquals(result.get(0).finalAccuracy(), ff.get("testAccuracy").asDouble());
        assertEquals(ff.get("testAccuracyByEpoch").get(ff.get("bestEpoch").asInt() - 1).asDouble(), ff.get("bestAccuracy").asDouble());
        assertEquals(cfg.train().seed(), ff.get("seed").asLong(), "the run's seed, from its manifest");
        assertTrue(ff.get("blasKernels").isTextual(), "the FF run's kernels, from its run.json");
        assertEquals("MLP (DL4J)", json.get("rows").get(1).get("model").asText());
        for (String png : List.of("accuracy-epoch-mnist.png", "accuracy-time-mnist.png")) {
            byte[] b = Files.readAllBytes(Path.of(out, "images", png));
            assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', png);
        }
        assertTrue(Files.readString(Path.of(out, "report.html")).contains("data:image/png;base64,"));
    }
}

package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.ffspark.SchemaCheck;
import org.ffspark.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench-faithfulness end to end on a slice: both models trained, every method of each, ROAD and zero areas, reuse. */
class BenchFaithfulnessCommandTest {
    @Test
    void tablesEveryMethodOfBothModelsAndReusesItsStages(@TempDir Path tmp) throws Exception {
        TestData.writeMnistSlice(tmp.resolve("data/mnist"), 2000, 30);
        Path conf = tmp.resolve("small.properties");
        Files.writeString(conf, "ff.layers = 784,32,32\ntrain.epochs = 2\ntrain.batch-size = 50\n");
        Path out = tmp.resolve("faith.json");
        String[] args = {"bench-faithfulness", "--dataset", "mnist", "--data-dir", tmp.resolve("data").toString(), "--config",
                conf.toString(), "--work", tmp.resolve("work").toString(), "--limit", "20", "--master", "local[2]", "--out", out.toString()};
        MainTest.Run r = MainTest.run(args);
        assertEquals(0, r.code(), r.err());
        JsonNode doc = SchemaCheck.json(out);
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("saliency-faithfulness.schema.json"), doc));
        assertEquals(List.of("FF_CONTRASTIVE", "FF_GRADIENT", "FF_GRADIENT_X_INPUT", "FF_OCCLUSION", "FF_OCCLUSION_PATCH", "RANDOM"),
                methods(doc.get("ff")));
        assertEquals(List.of("MLP_GRADIENT", "MLP_GRADIENT_X_INPUT", "MLP_INTEGRATED_GRADIENTS", "RANDOM"), methods(doc.get("mlp")));
        for (String model : List.of("ff", "mlp")) {
            assertEquals(20, doc.get(model).get("examples").asInt());
            for (JsonNode m : doc.get(model).get("methods")) {
                assertEquals(20, m.get("maps").asInt());
                for (String area : List.of("deletion", "insertion", "roadDeletion", "roadInsertion")) {
                    JsonNode a = m.get(area);
                    double mean = a.get("mean").asDouble();
                    assertTrue(mean >= 0 && mean <= 1, model + " " + m.get("method") + " " + area + " " + mean);
                    assertEquals(1.96 * a.get("sd").asDouble() / Math.sqrt(20), mean - a.get("ciLow").asDouble(), 1e-9);
                }
            }
        }
        MainTest.Run again = MainTest.run(args);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("reusing " + tmp.resolve("work/mnist/ff-saliency-20")), again.out());
        assertEquals(doc.get("ff").get("methods"), SchemaCheck.json(out).get("ff").get("methods"), "a rerun reads the kept runs");
    }

    private static List<String> methods(JsonNode run) {
        List<String> names = new ArrayList<>();
        run.get("methods").forEach(m -> names.add(m.get("method").asText()));
        return names;
    }
}

package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.ffspark.SchemaCheck;
import org.ffspark.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchAccuracyCommandTest {
    @Test
    void writesEverySeedsCurveAndTheirMeanAndReusesFinishedSeeds(@TempDir Path tmp) throws Exception {
        Path recipe = tmp.resolve("tiny.properties");
        Files.writeString(recipe, "ff.layers = 784,16\ntrain.epochs = 2\ntrain.seed = 5\n");
        Path out = tmp.resolve("acc.json");
        String[] args = {"bench-accuracy", "--recipe", recipe.toString(), "--dataset", "mnist", "--data-dir",
                TestData.dataDir().toString(), "--seeds", "2", "--runs", tmp.resolve("runs").toString(), "--out", out.toString()};
        MainTest.Run r = MainTest.run(args);
        assertEquals(0, r.code(), r.err());
        JsonNode doc = SchemaCheck.json(out);
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("bench-accuracy.schema.json"), doc));
        JsonNode seeds = doc.get("seeds");
        assertEquals(2, seeds.size());
        assertEquals(5, seeds.get(0).get("seed").asLong());
        assertEquals(6, seeds.get(1).get("seed").asLong());
        double sum = 0;
        for (JsonNode s : seeds) {
            assertEquals(2, s.get("curve").size(), "one point per epoch");
            assertEquals(s.get("curve").get(1).asDouble(), s.get("testAccuracy").asDouble());
            assertTrue(s.get("testAccuracy").asDouble() > 0.5, s.toString());
            assertTrue(s.get("wallSeconds").asDouble() > 0, s.toString());
            sum += s.get("testAccuracy").asDouble();
        }
        assertEquals(sum / 2, doc.get("meanTestAccuracy").asDouble(), 1e-12);
        assertEquals(1, doc.get("parallelSeeds").asInt());
        // Two seeds at once, one engine thread each: the same curves as one after the other.
        Path outParallel = tmp.resolve("acc-parallel.json");
        MainTest.Run par = bench(recipe, tmp.resolve("runs-parallel"), outParallel, "--seeds", "2", "--parallel", "2");
        assertEquals(0, par.code(), par.err());
        JsonNode docParallel = SchemaCheck.json(outParallel);
        assertEquals(2, docParallel.get("parallelSeeds").asInt());
        for (int i = 0; i < 2; i++) {
            assertEquals(seeds.get(i).get("curve"), docParallel.get("seeds").get(i).get("curve"));
        }
        assertTrue(par.out().contains("seed 5: round 1/2") && par.out().contains("seed 6: round 1/2"), par.out());
        // --first-seed picks the seeds: the finished seed 6 alone, reused.
        Path outSix = tmp.resolve("acc-six.json");
        MainTest.Run six = bench(recipe, tmp.resolve("runs"), outSix, "--seeds", "1", "--first-seed", "6");
        assertEquals(0, six.code(), six.err());
        JsonNode docSix = SchemaCheck.json(outSix);
        assertEquals(1, docSix.get("seeds").size());
        assertEquals(6, docSix.get("seeds").get(0).get("seed").asLong());
        assertEquals(seeds.get(1).get("curve"), docSix.get("seeds").get(0).get("curve"));
        assertTrue(!six.out().contains(": training"), six.out());
        // A second invocation reuses both finished seeds: same accuracies, no new training, no wall time.
        MainTest.Run again = MainTest.run(args);
        assertEquals(0, again.code(), again.err());
        JsonNode doc2 = SchemaCheck.json(out);
        assertEquals(doc.get("meanTestAccuracy").asDouble(), doc2.get("meanTestAccuracy").asDouble());
        assertTrue(doc2.get("seeds").get(0).get("wallSeconds").isNull());
        assertTrue(!again.out().contains(": training"), again.out());
        // A run recorded before a key existed is reused: the missing key counts at its default.
        Path manifest = tmp.resolve("runs/tiny-mnist/seed-5/manifest.json");
        String m = Files.readString(manifest);
        Files.writeString(manifest, m.replaceFirst(",\\s*\"train\\.dropout\" : \"0\\.0\"", ""));
        org.junit.jupiter.api.Assertions.assertNotEquals(m, Files.readString(manifest), "the key was removed");
        assertEquals(0, MainTest.run(args).code());
        // A changed recipe does not reuse runs trained with the old one.
        Files.writeString(recipe, "ff.layers = 784,16\ntrain.epochs = 2\ntrain.seed = 5\ntrain.learning-rate = 0.01\n");
        MainTest.Run changed = MainTest.run(args);
        assertEquals(org.ffspark.cli.Main.BAD_CONFIG, changed.code(), changed.err());
        assertTrue(changed.err().contains("was trained with other settings"), changed.err());
    }

    /** {@code bench-accuracy} of {@code recipe} on the test MNIST, keeping runs under {@code runs}, writing {@code out}. */
    private static MainTest.Run bench(Path recipe, Path runs, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("bench-accuracy", "--recipe", recipe.toString(), "--dataset", "mnist",
                "--data-dir", TestData.dataDir().toString(), "--runs", runs.toString(), "--out", out.toString()));
        args.addAll(List.of(more));
        return MainTest.run(args.toArray(String[]::new));
    }

    @Test
    void partitionsShareTheRecipesBatchAndMustDivideIt(@TempDir Path tmp) throws Exception {
        Path recipe = tmp.resolve("tiny.properties");
        Files.writeString(recipe, "ff.layers = 784,16\ntrain.epochs = 1\ntrain.batch-size = 100\ndist.averaging-period = 150\n");
        Path out = tmp.resolve("acc.json");
        MainTest.Run r = MainTest.run("bench-accuracy", "--recipe", recipe.toString(), "--dataset", "mnist", "--data-dir",
                TestData.dataDir().toString(), "--seeds", "1", "--partitions", "2", "--runs", tmp.resolve("runs").toString(),
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 partitions share the recipe's batch of 100: 50 examples per partition and step"), r.out());
        JsonNode doc = SchemaCheck.json(out);
        assertEquals("100", doc.get("config").get("train.batch-size").asText(), "the global batch");
        assertEquals("true", doc.get("config").get("dist.split-batch").asText(), "shared by the partitions");
        assertEquals(2, doc.get("partitions").asInt());
        assertTrue(Files.isDirectory(tmp.resolve("runs/tiny-mnist-p2/seed-42")));

        MainTest.Run bad = MainTest.run("bench-accuracy", "--recipe", recipe.toString(), "--dataset", "mnist", "--data-dir",
                TestData.dataDir().toString(), "--partitions", "3", "--runs", tmp.resolve("runs").toString());
        assertEquals(Main.BAD_CONFIG, bad.code());
        assertEquals("ffspark: config error: --partitions = 3: must divide the recipe's train.batch-size 100 (each partition "
                + "trains on batch/P examples per step)", bad.err().trim());
    }

    @Test
    void aRecipeThatDoesNotSplitTheBatchKeepsItInEveryPartition(@TempDir Path tmp) throws Exception {
        Path recipe = tmp.resolve("whole.properties");
        Files.writeString(recipe, "ff.layers = 784,16\ntrain.epochs = 1\ntrain.batch-size = 100\n"
                + "dist.averaging-period = 5\ndist.split-batch = false\n");
        Path out = tmp.resolve("acc.json");
        MainTest.Run r = bench(recipe, tmp.resolve("runs"), out, "--seeds", "1", "--partitions", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dist.split-batch = false: each of 3 partitions trains on the recipe's batch of 100"), r.out());
        JsonNode doc = SchemaCheck.json(out);
        assertEquals("false", doc.get("config").get("dist.split-batch").asText());
        // A full round: 3 partitions x 5 steps x 100 examples (with a split batch it would be 3 x 5 x 33).
        JsonNode first = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Files.readAllLines(tmp.resolve("runs/whole-mnist-p3/seed-42/metrics.jsonl")).get(0));
        assertEquals(1500, first.get("examples").asInt(), first.toString());
    }
}

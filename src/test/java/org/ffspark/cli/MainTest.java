package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.ffspark.SchemaCheck;
import org.ffspark.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    /** Runs the CLI capturing stdout and stderr. */
    record Run(int code, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void everyCommandHasHelp() {
        List<String> commands = Main.commandLine().getSubcommands().keySet().stream().filter(c -> !c.equals("help")).toList();
        assertEquals(List.of("fetch-data", "config", "blas", "ingest", "train", "train-mlp", "evaluate", "saliency", "report", "retrain", "compare", "bench-ff", "bench-train", "bench-scale", "scale-model", "bench-saliency", "bench-accuracy", "bench-faithfulness"), commands);
        for (String cmd : commands) {
            Run r = run(cmd, "--help");
            assertEquals(0, r.code(), cmd);
            assertTrue(r.out().contains("Usage: ffspark " + cmd), cmd + ": " + r.out());
        }
    }

    @ParameterizedTest
    @EnumSource(org.ffspark.config.ReadoutKind.class)
    void trainsEvaluatesAndWritesSchemaValidFiles(org.ffspark.config.ReadoutKind readout, @TempDir Path tmp) throws Exception {
        String model = tmp.resolve("model").toString();
        String data = TestData.mnistDir().toString();
        Run t = run("train", "--local", "--data", data, "--model", model, "--limit", "2000",
                "--set", "ff.layers=784,64,64", "--set", "train.epochs=2", "--set", "ff.readout=" + readout, "--test-each-epoch");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("epoch 2/2  loss"), t.out());
        assertTrue(t.out().contains("ex/s") && t.out().contains("ETA") && t.out().contains("test "), t.out());
        List<String> lines = Files.readAllLines(Path.of(model, "metrics.jsonl"));
        assertEquals(2, lines.size());
        for (String l : lines) {
            assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("train-metrics.schema.json"), new ObjectMapper().readTree(l)));
        }
        Run e = run("evaluate", "--model", model, "--data", data);
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("accuracy"), e.out());
        Path json = Path.of(model, "evaluation-test.json");
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("evaluation.schema.json"), SchemaCheck.json(json)));
        assertEquals(10_000, SchemaCheck.json(json).get("examples").asInt());
        // evaluate predicts by the model's rule, as the per-epoch test did
        assertEquals(readout.predictionRule(), SchemaCheck.json(json).get("predictionRule").asText());
        assertEquals(new ObjectMapper().readTree(lines.get(1)).get("testAccuracy").asDouble(),
                SchemaCheck.json(json).get("accuracy").asDouble(), 1e-12);
    }

    @Test
    void existingModelIsRefusedBeforeTrainingAndLeftIntact(@TempDir Path tmp) throws Exception {
        Path model = Files.createDirectories(tmp.resolve("model"));
        Files.writeString(model.resolve("keep.txt"), "x");
        Run r = run("train", "--local", "--data", TestData.mnistDir().toString(), "--model", model.toString());
        assertEquals(Main.BAD_CONFIG, r.code());
        assertEquals("ffspark: config error: " + model + ": output already exists; pass --overwrite to replace it", r.err().trim());
        assertTrue(Files.exists(model.resolve("keep.txt")));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary directory left");
        }
    }

    @Test
    void badConfigExitsWith2AndOneLineNamingTheKey(@TempDir Path tmp) {
        Run r = run("train", "--local", "--data", TestData.mnistDir().toString(), "--model", tmp.resolve("m").toString(),
                "--set", "ff.threshold=0");
        assertEquals(Main.BAD_CONFIG, r.code());
        assertEquals("ffspark: config error: --set: ff.threshold = 0.0: must be a finite number > 0 (goodness is never negative)", r.err().trim());
        assertFalse(Files.exists(tmp.resolve("m")));
    }

    @Test
    void badDataExitsWith3AndOneLineNamingTheFile(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 20, 10);
        Files.write(data.resolve("train-images-idx3-ubyte.gz"), TestData.gzip(TestData.imagesIdx(0x803, 20, 28, 28, new byte[784 * 19])));
        Run r = run("train", "--local", "--data", data.toString(), "--model", tmp.resolve("m").toString());
        assertEquals(Main.BAD_DATA, r.code());
        assertEquals("ffspark: bad input: " + data.resolve("train-images-idx3-ubyte.gz")
                + ": truncated: header says 20 images, file holds 19; re-run the fetch step", r.err().trim());
        assertFalse(Files.exists(tmp.resolve("m")));
    }

    @Test
    void divergingTrainingStopsWithAClearErrorAndWritesNothing(@TempDir Path tmp) {
        Run r = run("train", "--local", "--data", TestData.mnistDir().toString(), "--model", tmp.resolve("m").toString(),
                "--limit", "500", "--set", "ff.layers=784,16", "--set", "train.epochs=2", "--set", "train.optimizer=SGD",
                "--set", "train.learning-rate=1e30");
        assertEquals(Main.BAD_CONFIG, r.code(), r.err());
        assertTrue(r.err().startsWith("ffspark: config error: train.learning-rate: training diverged at epoch 1"), r.err());
        assertFalse(Files.exists(tmp.resolve("m")));
    }

    @Test
    void corruptModelIsRefusedByEvaluate(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("m");
        Run t = run("train", "--local", "--data", TestData.mnistDir().toString(), "--model", model.toString(), "--limit", "200",
                "--set", "ff.layers=784,16", "--set", "train.epochs=1");
        assertEquals(0, t.code(), t.err());
        byte[] b = Files.readAllBytes(model.resolve("params.bin"));
        b[100] ^= 0x10;
        Files.write(model.resolve("params.bin"), b);
        Run e = run("evaluate", "--model", model.toString(), "--data", TestData.mnistDir().toString());
        assertEquals(Main.BAD_DATA, e.code());
        assertTrue(e.err().contains("params.bin: checksum mismatch"), e.err());
    }
}

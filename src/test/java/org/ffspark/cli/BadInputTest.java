package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.data.Split;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, one test per case, through the command line as a user meets it: a non-zero exit code of the right
 * kind, exactly one "ffspark: ..." line naming the file or key and the problem (no stack trace), and nothing new
 * or changed in the working directory (no partial output, no temporary leftovers).
 */
class BadInputTest {
    @TempDir
    Path tmp;
    Path out;

    @BeforeEach
    void setUp() {
        out = tmp.resolve("out");
    }

    /** Path -> size:content-hash of every file under {@code dir}. */
    static Map<String, String> snapshot(Path dir) {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                m.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir" : Files.size(p) + ":" + Arrays.hashCode(Files.readAllBytes(p)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** Runs the command, expects {@code code} and one error line containing every fragment; nothing under tmp changes. */
    void refused(int code, List<String> fragments, String... args) {
        Map<String, String> before = snapshot(tmp);
        MainTest.Run r = MainTest.run(args);
        List<String> lines = r.err().lines().filter(l -> l.startsWith("ffspark:")).toList();
        assertEquals(1, lines.size(), "one error line, got: " + r.err());
        String line = lines.get(0);
        for (String f : fragments) {
            assertTrue(line.contains(f), "'" + f + "' in: " + line);
        }
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals(code, r.code(), line);
        assertEquals(before, snapshot(tmp), "nothing written or changed");
    }

    // ---- data files ----

    Path idxDir(String name) {
        return TestData.writeMnistSlice(tmp.resolve(name), 100, 20);
    }

    Path trainImages(Path dir) {
        return dir.resolve(Split.TRAIN.imagesFile() + ".gz");
    }

    void trainLocal(int code, List<String> fragments, Path data) {
        refused(code, fragments, "train", "--local", "--data", data.toString(), "--model", out.toString());
    }

    @Test
    void truncatedImageFile() throws IOException {
        Path d = idxDir("idx");
        Files.write(trainImages(d), TestData.gzip(TestData.imagesIdx(0x803, 100, 28, 28, new byte[50 * 784])));
        trainLocal(Main.BAD_DATA, List.of(trainImages(d).toString(), "truncated"), d);
    }

    @Test
    void wrongMagicNumber() throws IOException {
        Path d = idxDir("idx");
        Files.write(trainImages(d), TestData.gzip(TestData.imagesIdx(0x801, 100, 28, 28, new byte[100 * 784])));
        trainLocal(Main.BAD_DATA, List.of(trainImages(d).toString(), "magic"), d);
    }

    @Test
    void imageAndLabelCountsDiffer() throws IOException {
        Path d = idxDir("idx");
        Files.write(trainImages(d), TestData.gzip(TestData.imagesIdx(0x803, 99, 28, 28, new byte[99 * 784])));
        trainLocal(Main.BAD_DATA, List.of("99", "100"), d);
    }

    @Test
    void imagesThatAreNot28By28() throws IOException {
        Path d = idxDir("idx");
        Files.write(trainImages(d), TestData.gzip(TestData.imagesIdx(0x803, 100, 32, 32, new byte[100 * 1024])));
        trainLocal(Main.BAD_DATA, List.of(trainImages(d).toString(), "32x32"), d);
    }

    @Test
    void corruptGzip() throws IOException {
        Path d = idxDir("idx");
        byte[] gz = Files.readAllBytes(trainImages(d));
        Files.write(trainImages(d), Arrays.copyOf(gz, gz.length / 2));
        trainLocal(Main.BAD_DATA, List.of(trainImages(d).toString(), "gzip"), d);
    }

    @Test
    void emptyLabelFile() throws IOException {
        Path d = idxDir("idx");
        Path labels = d.resolve(Split.TRAIN.labelsFile() + ".gz");
        Files.write(labels, new byte[0]);
        trainLocal(Main.BAD_DATA, List.of(labels.toString(), "empty"), d);
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path d = idxDir("idx");
        Path labels = d.resolve(Split.TRAIN.labelsFile() + ".gz");
        byte[] l = new byte[100];
        l[37] = 12;
        Files.write(labels, TestData.gzip(TestData.labelsIdx(0x801, 100, l)));
        trainLocal(Main.BAD_DATA, List.of(labels.toString(), "12"), d);
    }

    /** A Parquet data set that looks like ingest output ({@code _ffspark.json}) but has {@code columns}. */
    Path parquet(String name, String select) throws IOException {
        Path d = tmp.resolve(name);
        SparkSession spark = SparkTests.session();
        spark.range(20).selectExpr(select.split(";")).write().mode(SaveMode.ErrorIfExists).parquet(d.toString());
        Files.writeString(d.resolve("_ffspark.json"), "{\"format\": \"ffspark-images\", \"formatVersion\": 1, \"source\": \"test\","
                + " \"runId\": \"test\", \"checksums\": {}, \"trainRows\": 20, \"testRows\": 0}", StandardCharsets.UTF_8);
        return d;
    }

    @Test
    void parquetWithAWrongColumnType() throws IOException {
        Path d = parquet("pq", "id;CAST(id % 10 AS INT) AS label;array(CAST(1.0 AS FLOAT)) AS pixels;'train' AS split");
        refused(Main.BAD_DATA, List.of(d.toString(), "column 'pixels' is array<float>, expected binary"),
                "train", "--data", d.toString(), "--model", out.toString(), "--partitions", "1", "--master", "local[1]");
    }

    @Test
    void parquetWithAMissingColumn() throws IOException {
        Path d = parquet("pq", "id;unhex(repeat('00', 784)) AS pixels;'test' AS split");
        refused(Main.BAD_DATA, List.of(d.toString(), "missing column 'label'"),
                "evaluate", "--spark", "--model", TestData.writeSmallModel(tmp, "784,16,16", 1, 200), "--data", d.toString(),
                "--out", out.resolve("eval.json").toString(), "--master", "local[1]");
    }

    @Test
    void parquetRowWithTooFewPixelsFoundInsideASparkTask() throws IOException {
        Path d = parquet("pq", "id;CAST(id % 10 AS INT) AS label;unhex(repeat('00', 100)) AS pixels;'train' AS split");
        refused(Main.BAD_DATA, List.of(d.toString(), "pixels has 100 bytes, expected 784"),
                "train", "--data", d.toString(), "--model", out.toString(), "--partitions", "1", "--master", "local[1]");
    }

    // ---- model files ----

    void evaluate(int code, List<String> fragments, String model) {
        refused(code, fragments, "evaluate", "--model", model, "--data", TestData.mnistDir().toString(), "--out", out.resolve("e.json").toString());
    }

    @Test
    void corruptParameterFile() throws IOException {
        String m = TestData.writeSmallModel(tmp, "784,16,16", 1, 200);
        Path params = Path.of(m, "params.bin");
        byte[] b = Files.readAllBytes(params);
        b[1234] ^= 0x10;
        Files.write(params, b);
        evaluate(Main.BAD_DATA, List.of(params.toString(), "checksum mismatch"), m);
    }

    @Test
    void manifestOfAnUnknownFormatVersion() throws IOException {
        String m = TestData.writeSmallModel(tmp, "784,16,16", 1, 200);
        Path mf = Path.of(m, "manifest.json");
        Files.writeString(mf, Files.readString(mf).replace("\"formatVersion\" : 1", "\"formatVersion\" : 7"));
        evaluate(Main.BAD_DATA, List.of(mf.toString(), "formatVersion 7 is not supported"), m);
    }

    @Test
    void manifestArchitectureDoesNotMatchTheParameters() throws IOException {
        String m = TestData.writeSmallModel(tmp, "784,16,16", 1, 200);
        Path mf = Path.of(m, "manifest.json");
        String text = Files.readString(mf);
        Files.writeString(mf, text.replaceFirst("\"layerSizes\" : \\[ 784, 16, 16 \\]", "\"layerSizes\" : [ 784, 16, 32 ]"));
        assertFalse(Files.readString(mf).equals(text), "manifest edited");
        evaluate(Main.BAD_DATA, List.of(Path.of(m, "manifest.json").toString(), "architecture does not match the parameters"), m);
    }

    @Test
    void notAModelDirectory() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("empty-model"));
        evaluate(Main.BAD_DATA, List.of(d.toString(), "not an ffspark model directory"), d.toString());
    }

    // ---- configuration ----

    void trainWith(List<String> fragments, String... set) {
        String[] args = Stream.concat(Stream.of("train", "--local", "--data", TestData.mnistDir().toString(), "--model", out.toString()),
                Arrays.stream(set).flatMap(s -> Stream.of("--set", s))).toArray(String[]::new);
        refused(Main.BAD_CONFIG, fragments, args);
    }

    @Test
    void unknownKey() {
        trainWith(List.of("train.epoch", "unknown"), "train.epoch=3");
    }

    @Test
    void valueOfTheWrongType() {
        trainWith(List.of("train.epochs", "three"), "train.epochs=three");
    }

    @Test
    void zeroLayerSize() {
        trainWith(List.of("ff.layers", "784,0,10"), "ff.layers=784,0,10");
    }

    @Test
    void negativeLearningRate() {
        trainWith(List.of("train.learning-rate", "-0.1"), "train.learning-rate=-0.1");
    }

    @Test
    void zeroBatchSize() {
        trainWith(List.of("train.batch-size", "0"), "train.batch-size=0");
    }

    @Test
    void thresholdNotPositive() {
        trainWith(List.of("ff.threshold", "0"), "ff.threshold=0");
    }

    @Test
    void averagingPeriodZero() {
        refused(Main.BAD_CONFIG, List.of("--averaging-period = 0", "must be a positive amount"),
                "train", "--data", TestData.mnistDir().toString(), "--model", out.toString(), "--averaging-period", "0");
        refused(Main.BAD_CONFIG, List.of("--averaging-period = 2 fortnights", "expected a number of minibatches, or N examples, or F epochs"),
                "train", "--data", TestData.mnistDir().toString(), "--model", out.toString(), "--averaging-period", "2 fortnights");
    }

    @Test
    void unknownOptimizerStateMode() {
        refused(Main.BAD_CONFIG, List.of("--optimizer-state = shared", "expected averaged or per-worker"),
                "train", "--data", TestData.mnistDir().toString(), "--model", out.toString(), "--optimizer-state", "shared");
    }

    @Test
    void perWorkerOptimizerStateWithLocalTraining() {
        refused(Main.BAD_CONFIG, List.of("--optimizer-state = per-worker", "only without --local"),
                "train", "--local", "--data", TestData.mnistDir().toString(), "--model", out.toString(), "--optimizer-state", "per-worker");
    }

    @Test
    void blockMomentumOutOfRange() {
        refused(Main.BAD_CONFIG, List.of("--block-momentum = 1.0", "must be in [0, 1)"),
                "train", "--data", TestData.mnistDir().toString(), "--model", out.toString(), "--block-momentum", "1");
        refused(Main.BAD_CONFIG, List.of("--block-lr = 0.0", "must be in (0, 10]"),
                "train", "--data", TestData.mnistDir().toString(), "--model", out.toString(), "--block-lr", "0");
    }

    @Test
    void benchTrainWithNegativeWarmUp() {
        refused(Main.BAD_CONFIG, List.of("--warmup-epochs = -1", "must be >= 0"),
                "bench-train", "--data", TestData.mnistDir().toString(), "--warmup-epochs", "-1", "--out", out.resolve("b.json").toString());
    }

    @Test
    void benchTrainWithoutRepeatsOrWithNegativeWarmUpRounds() {
        refused(Main.BAD_CONFIG, List.of("--repeats = 0", "must be >= 1"),
                "bench-train", "--data", TestData.mnistDir().toString(), "--repeats", "0", "--out", out.resolve("b.json").toString());
        refused(Main.BAD_CONFIG, List.of("--warmup-rounds = -1", "must be >= 0"),
                "bench-train", "--data", TestData.mnistDir().toString(), "--warmup-rounds", "-1", "--out", out.resolve("b.json").toString());
    }

    @Test
    void benchTrainWithAnUnknownOptimizerStateMode() {
        refused(Main.BAD_CONFIG, List.of("--optimizer-state = shared", "expected averaged or per-worker"),
                "bench-train", "--data", TestData.mnistDir().toString(), "--optimizer-state", "shared", "--out", out.resolve("b.json").toString());
    }

    @Test
    void enumOptionsAreConvertedByPicocliWithOneLineErrors() {
        refused(Main.BAD_CONFIG, List.of("--split", "'validation'", "TRAIN, TEST", "see ffspark evaluate --help"),
                "evaluate", "--model", out.toString(), "--data", TestData.mnistDir().toString(), "--split", "validation");
        refused(Main.BAD_CONFIG, List.of("--methods", "'FF_MAGIC'", "FF_OCCLUSION"),
                "saliency", "--model", out.toString(), "--data", TestData.mnistDir().toString(), "--out", out.toString(),
                "--methods", "FF_OCCLUSION,FF_MAGIC");
        refused(Main.BAD_CONFIG, List.of("Unknown option: '--no-such-flag'"),
                "train", "--data", TestData.mnistDir().toString(), "--model", out.toString(), "--no-such-flag");
    }

    @Test
    void blockMomentumWithLocalTraining() {
        refused(Main.BAD_CONFIG, List.of("--block-momentum/--block-lr = 0.5/1.5", "only without --local"),
                "train", "--local", "--data", TestData.mnistDir().toString(), "--model", out.toString(), "--block-momentum", "0.5");
    }

    @Test
    void allowConfigChangeWithoutResume() {
        refused(Main.BAD_CONFIG, List.of("--allow-config-change = true", "only with --resume"),
                "train", "--data", TestData.mnistDir().toString(), "--model", out.toString(), "--allow-config-change");
    }

    @Test
    void unknownKeyInAConfigFileNamesTheFile() throws IOException {
        Path conf = tmp.resolve("bad.properties");
        Files.writeString(conf, "ff.layers = 784,64,64\ntrain.epocs = 5\n");
        refused(Main.BAD_CONFIG, List.of(conf.toString(), "train.epocs"),
                "train", "--local", "--data", TestData.mnistDir().toString(), "--model", out.toString(), "--config", conf.toString());
    }

    // ---- paths ----

    @Test
    void missingInputDirectory() {
        Path missing = tmp.resolve("no-such-data");
        trainLocal(Main.BAD_DATA, List.of(missing.toString(), "not found"), missing);
    }

    @Test
    void outputExistsWithoutOverwrite() throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "precious");
        refused(Main.BAD_CONFIG, List.of(out.toString(), "already exists; pass --overwrite"),
                "saliency", "--model", TestData.writeSmallModel(tmp, "784,16,16", 1, 200), "--data", TestData.mnistDir().toString(),
                "--out", out.toString(), "--limit", "5", "--master", "local[1]");
    }

    @Test
    void unwritableOutputLocation() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Path model = file.resolve("model");
        refused(Main.IO_FAILURE, List.of(file.toString()),
                "train", "--local", "--data", TestData.writeMnistSlice(tmp.resolve("idx"), 100, 20).toString(),
                "--model", model.toString(), "--set", "ff.layers=784,16,16", "--set", "train.epochs=1");
    }

    @Test
    void corruptRegistryFile() throws IOException {
        Path reg = Files.createDirectories(tmp.resolve("registry"));
        Files.writeString(reg.resolve("registry.json"), "{\"format\": \"something-else\"}");
        refused(Main.BAD_DATA, List.of(reg.resolve("registry.json").toString(), "format is 'something-else'"),
                "retrain", "--registry", reg.toString(), "--data", TestData.writeMnistSlice(tmp.resolve("idx"), 100, 20).toString(),
                "--master", "local[1]");
    }
}

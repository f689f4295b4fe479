package org.ffspark;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.Storage;

/**
 * Test fixtures: the data sets the fetch step put in this checkout's data directory, and small IDX files written
 * on the fly. The data directory is {@code $FFSPARK_DATA} when set, else {@code <checkout>/data} (bin/test fetches
 * it first when it is missing).
 */
public final class TestData {
    private static LabeledImages mnistTrain;
    private static LabeledImages mnistTest;

    private TestData() {}

    /** The data directory the fetch step fills: {@code $FFSPARK_DATA}, else {@code <checkout>/data}. */
    public static Path dataDir() {
        String env = System.getenv("FFSPARK_DATA");
        return env != null && !env.isEmpty() ? Path.of(env) : projectDir().resolve("data");
    }

    /** The fetched MNIST directory; fails with what to run when the fetch step has not filled it. */
    public static Path mnistDir() {
        Path dir = dataDir().resolve("mnist");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir.toAbsolutePath() + ": MNIST not fetched; run bin/test (or bin/setup), "
                    + "or set FFSPARK_DATA to a data directory holding mnist/");
        }
        return dir;
    }

    public static Path projectDir() {
        return Path.of(System.getProperty("ffspark.basedir", "."));
    }

    public static synchronized LabeledImages mnistTrain() {
        if (mnistTrain == null) {
            mnistTrain = IdxDataset.read(Storage.local(), mnistDir().toString(), Split.TRAIN).images();
        }
        return mnistTrain;
    }

    public static synchronized LabeledImages mnistTest() {
        if (mnistTest == null) {
            mnistTest = IdxDataset.read(Storage.local(), mnistDir().toString(), Split.TEST).images();
        }
        return mnistTest;
    }

    /**
     * Trains a small FF net on the first {@code examples} MNIST training images (batch 50, seed 1) and writes it to
     * {@code dir/model}; returns that directory. {@code layers} e.g. "784,64,64".
     */
    public static String writeSmallModel(Path dir, String layers, int epochs, int examples) {
        org.ffspark.config.TrainFfConfig cfg = org.ffspark.config.TrainFfConfig.load(null,
                java.util.List.of("ff.layers=" + layers, "train.epochs=" + epochs, "train.batch-size=50"));
        org.ffspark.ff.FfModel m = org.ffspark.ff.FfFit.fit(org.ffspark.ff.FfModel.initialise(cfg.ff(), 1), cfg.train(),
                mnistTrain().head(examples), 2, null);
        String model = dir.resolve("model").toString();
        org.ffspark.io.ModelStore.write(Storage.local(), m, new org.ffspark.io.ModelStore.Provenance(cfg.toMap(),
                java.util.Map.of(), 1, "test", "test", "test"), model, false);
        return model;
    }

    /** Distributed settings for a test, and the round whose first task attempt fails (-1: none). */
    public record Dist(org.ffspark.config.DistConfig config, int failRound) {}

    public static Dist dist(int period, int checkpointEvery, int failRound) {
        return dist(period, checkpointEvery, failRound, org.ffspark.config.OptimizerState.AVERAGED);
    }

    public static Dist dist(int period, int checkpointEvery, int failRound, org.ffspark.config.OptimizerState state) {
        return dist(period, checkpointEvery, failRound, state, 0f, 1f);
    }

    public static Dist dist(int period, int checkpointEvery, int failRound, org.ffspark.config.OptimizerState state,
                            float blockMomentum, float blockLearningRate) {
        // Every checkpoint kept (the resume tests pick which ones survive a simulated crash).
        return new Dist(new org.ffspark.config.DistConfig(org.ffspark.config.AveragingPeriod.ofBatches(period), checkpointEvery, state, blockMomentum, blockLearningRate,
                Integer.MAX_VALUE, 0, 0, false), failRound);
    }

    /** Bytes of an images IDX file with the given header fields and payload. */
    public static byte[] imagesIdx(int magic, int count, int rows, int cols, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(b)) {
            d.writeInt(magic);
            d.writeInt(count);
            d.writeInt(rows);
            d.writeInt(cols);
            d.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    public static byte[] labelsIdx(int magic, int count, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(b)) {
            d.writeInt(magic);
            d.writeInt(count);
            d.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    /** Writes the first {@code n} examples of each split of MNIST as a gzip IDX directory. */
    public static Path writeMnistSlice(Path dir, int nTrain, int nTest) {
        try {
            Files.createDirectories(dir);
            write(dir, Split.TRAIN, mnistTrain().head(nTrain));
            write(dir, Split.TEST, mnistTest().head(nTest));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path dir, Split split, LabeledImages d) throws IOException {
        Files.write(dir.resolve(split.imagesFile() + ".gz"), gzip(imagesIdx(0x803, d.count(), 28, 28, d.pixels())));
        Files.write(dir.resolve(split.labelsFile() + ".gz"), gzip(labelsIdx(0x801, d.count(), d.labels())));
    }
}

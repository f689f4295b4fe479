package org.ffspark.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.ffspark.config.FfConfig;
import org.ffspark.data.Checksums;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.TrainState;

/**
 * Training checkpoints in {@code <runDir>/checkpoints/round-NNNNNNNN/}: the model (as {@link ModelStore}), the
 * optimizer state ({@code optimizer.bin}: first then second moments as little-endian float32, then the per-layer
 * step counts as little-endian int64; with per-worker optimizer state, each of these holds one block per worker in
 * worker order; then, with block momentum, the block velocity as little-endian float32) and {@code checkpoint.json} (round, the metrics so far, optimizer checksum, number of optimizer
 * states; schema {@code data-schemas/checkpoint.schema.json}).
 * Each is written to a temporary directory and renamed, so a checkpoint either exists whole or not at all; one
 * that fails verification is skipped with a warning when resuming.
 */
public final class CheckpointStore {
    public static final String DIR = "checkpoints";

    /**
     * A verified checkpoint: the state after {@code round}, the metric lines written until then, and the settings
     * the run was started with (empty for checkpoints written before settings were recorded).
     */
    public record Checkpoint(int round, TrainState state, List<String> metricLines, java.util.Map<String, String> settings) {}

    private final Storage storage;
    private final Path root;

    public CheckpointStore(Storage storage, String runDir) {
        this.storage = storage;
        this.root = new Path(storage.path(runDir), DIR);
    }

    /**
     * Writes the checkpoint after {@code round}. {@code settings}: everything that decides the run's result besides
     * the state (configuration, partitioning, data checksums), compared when resuming.
     */
    public void write(int round, TrainState state, FfConfig config, ModelStore.Provenance prov, List<String> metricLines,
                      java.util.Map<String, String> settings) {
        Path target = new Path(root, String.format("round-%08d", round));
        try (AtomicOutput out = AtomicOutput.begin(storage, target, prov.runId(), true)) {
            ModelStore.writeInto(storage, new FfModel(config, state.params()), prov, out.dir());
            byte[] opt = optimizerBytes(state);
            storage.writeAll(new Path(out.dir(), "optimizer.bin"), opt);
            CheckpointRecord j = new CheckpointRecord(CheckpointRecord.FORMAT, CheckpointRecord.VERSION, round,
                    Checksums.sha256(opt), state.firstMoment().length, state.secondMoment().length, state.stepsBlock(),
                    state.workers(), state.blockVelocity().length, new java.util.TreeMap<>(settings), List.copyOf(metricLines));
            storage.writeAll(new Path(out.dir(), "checkpoint.json"), Json.bytes(j));
            out.commit();
        }
    }

    /** The newest checkpoint that verifies; broken ones are reported to {@code warn} and skipped. */
    public Optional<Checkpoint> latest(Consumer<String> warn) {
        if (!storage.exists(root)) {
            return Optional.empty();
        }
        List<Path> dirs = new ArrayList<>();
        try {
            for (FileStatus s : storage.fs(root).listStatus(root)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && name.matches("round-\\d{8}")) {
                    dirs.add(s.getPath());
                } else if (name.contains(".tmp-")) {
                    warn.accept(s.getPath() + ": ignoring a half-written checkpoint");
                }
            }
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(root + ": " + e.getMessage(), e);
        }
        dirs.sort((a, b) -> b.getName().compareTo(a.getName()));
        for (Path d : dirs) {
            try {
                return Optional.of(read(d));
            } catch (RuntimeException e) {
                warn.accept(d + ": skipping an unusable checkpoint (" + e.getMessage() + ")");
            }
        }
        return Optional.empty();
    }

    private Checkpoint read(Path dir) {
        FfModel model = ModelStore.read(storage, dir.toString()).model();
        Path cj = new Path(dir, "checkpoint.json");
        CheckpointRecord j = Json.read(storage.readAll(cj), CheckpointRecord.class, cj.toString());
        byte[] opt = storage.readAll(new Path(dir, "optimizer.bin"));
        if (!Checksums.sha256(opt).equals(j.optimizerSha256())) {
            throw new org.ffspark.data.InputDataException(new Path(dir, "optimizer.bin").toString(), "checksum mismatch");
        }
        int nf = j.firstMomentCount();
        int ns = j.secondMomentCount();
        int workers = j.workers();
        int layers = j.layers() * workers;
        int nv = j.velocityCount();
        if (workers < 1 || nv < 0 || opt.length != 4L * (nf + ns) + 8L * layers + 4L * nv) {
            throw new org.ffspark.data.InputDataException(new Path(dir, "optimizer.bin").toString(), "wrong length " + opt.length);
        }
        ByteBuffer b = ByteBuffer.wrap(opt).order(ByteOrder.LITTLE_ENDIAN);
        float[] first = new float[nf];
        float[] second = new float[ns];
        long[] steps = new long[layers];
        float[] velocity = new float[nv];
        b.asFloatBuffer().get(first).get(second);
        b.position(4 * (nf + ns));
        b.asLongBuffer().get(steps);
        b.position(4 * (nf + ns) + 8 * layers);
        b.asFloatBuffer().get(velocity);
        List<String> lines = j.metrics() == null ? List.of() : j.metrics();
        java.util.Map<String, String> settings = j.settings() == null ? java.util.Map.of() : j.settings();
        return new Checkpoint(j.round(), new TrainState(model.params(), first, second, steps, workers, velocity), lines, settings);
    }

    static byte[] optimizerBytes(TrainState s) {
        int floats = s.firstMoment().length + s.secondMoment().length;
        ByteBuffer b = ByteBuffer.allocate(4 * floats + 8 * s.steps().length + 4 * s.blockVelocity().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(s.firstMoment()).put(s.secondMoment());
        b.position(4 * floats);
        b.asLongBuffer().put(s.steps());
        b.position(4 * floats + 8 * s.steps().length);
        b.asFloatBuffer().put(s.blockVelocity());
        return b.array();
    }
}

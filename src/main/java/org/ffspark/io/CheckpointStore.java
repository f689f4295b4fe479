package org.ffspark.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.hadoop.fs.Path;
import org.ffspark.config.FfConfig;
import org.ffspark.data.Checksums;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.TrainState;

/**
 * Training checkpoints in {@code <runDir>/checkpoints/round-NNNNNNNN/}: the model (as {@link ModelStore}), the
 * optimizer state ({@code optimizer.bin}: first then second moments as little-endian float32, then the per-layer
 * step counts as little-endian int64; with per-worker optimizer state, each of these holds one block per worker in
 * worker order; then, with block momentum, the block velocity as little-endian float32) and {@code checkpoint.json}
 * (round, optimizer checksum, number of optimizer states, and how many lines of the run's {@code metrics.jsonl}
 * belong to it; schema {@code data-schemas/checkpoint.schema.json}).
 * Each is written to a temporary directory and renamed, so a checkpoint either exists whole or not at all; one
 * holding a non-finite value is never written, and one that fails verification (checksums, sizes, finiteness, its
 * metric lines) is skipped with a warning when resuming, which then starts from the one before. After each write
 * only the newest {@code dist.checkpoint-keep} checkpoints and the permanent ones are kept.
 */
public final class CheckpointStore {
    public static final String DIR = "checkpoints";

    /**
     * A verified checkpoint: the state after {@code round}, the metric lines written until then, and the settings
     * the run was started with (empty for checkpoints written before settings were recorded).
     */
    public record Checkpoint(int round, TrainState state, List<String> metricLines, java.util.Map<String, String> settings) {}

    /** The run's metric lines, one file per run: checkpoints record how many of its lines they include. */
    public static final String METRICS = "metrics.jsonl";

    private final Storage storage;
    private final Path root;
    private final Path metrics;

    public CheckpointStore(Storage storage, String runDir) {
        this.storage = storage;
        this.root = new Path(storage.path(runDir), DIR);
        this.metrics = new Path(storage.path(runDir), METRICS);
    }

    /** Retention: keep the newest {@code keep}; with {@code permanentEvery} > 0 also every round that is a multiple of {@code permanentEvery * cadence}. */
    public record Retention(int keep, int cadence, int permanentEvery) {
        public static Retention of(org.ffspark.config.DistConfig d) {
            return new Retention(d.checkpointKeep(), d.checkpointEveryRounds(), d.checkpointPermanentEvery());
        }

        /** Whether a checkpoint is written after {@code round}: every {@code cadence} rounds and after the last. */
        public boolean due(int round, boolean last) {
            return cadence > 0 && ((round + 1) % cadence == 0 || last);
        }

        boolean permanent(int round) {
            return permanentEvery > 0 && cadence > 0 && (round + 1) % ((long) permanentEvery * cadence) == 0;
        }
    }

    /**
     * Writes the checkpoint after {@code round}, then deletes the ones {@code retention} does not keep.
     * {@code metricLines}: how many lines of the run's {@code metrics.jsonl} (already on storage) belong to it.
     * {@code settings}: everything that decides the run's result besides the state (configuration, partitioning,
     * data checksums), compared when resuming. A state holding a non-finite value is refused as a diverged run.
     */
    public void write(int round, TrainState state, FfConfig config, ModelStore.Provenance prov, int metricLines,
                      java.util.Map<String, String> settings, Retention retention) {
        state.requireFinite("round " + (round + 1));
        Path target = new Path(root, String.format("round-%08d", round));
        try (AtomicOutput out = AtomicOutput.begin(storage, target, prov.runId(), true)) {
            ModelStore.writeInto(storage, new FfModel(config, state.params()), prov, out.dir());
            byte[] opt = optimizerBytes(state);
            storage.writeAll(new Path(out.dir(), "optimizer.bin"), opt);
            CheckpointRecord j = new CheckpointRecord(CheckpointRecord.FORMAT, CheckpointRecord.VERSION, round,
                    Checksums.sha256(opt), state.firstMoment().length, state.secondMoment().length, state.stepsBlock(),
                    state.workers(), state.blockVelocity().length, new java.util.TreeMap<>(settings), metricLines, null);
            storage.writeAll(new Path(out.dir(), "checkpoint.json"), Json.bytes(j));
            out.commit();
        }
        prune(retention);
    }

    /** Deletes every checkpoint but the newest {@code keep} and the permanent ones. */
    void prune(Retention retention) {
        List<Path> dirs = rounds();
        for (int i = retention.keep(); i < dirs.size(); i++) {
            if (!retention.permanent(roundOf(dirs.get(i)))) {
                storage.delete(dirs.get(i));
            }
        }
    }

    /** The checkpoint directories, newest first. */
    List<Path> rounds() {
        List<Path> dirs = new ArrayList<>();
        for (Path p : storage.list(root)) {
            if (p.getName().matches("round-\\d{8}")) {
                dirs.add(p);
            }
        }
        dirs.sort((a, b) -> b.getName().compareTo(a.getName()));
        return dirs;
    }

    private static int roundOf(Path dir) {
        return Integer.parseInt(dir.getName().substring("round-".length()));
    }

    /** The newest checkpoint that verifies; broken ones are reported to {@code warn} and skipped. */
    public Optional<Checkpoint> latest(Consumer<String> warn) {
        if (!storage.exists(root)) {
            return Optional.empty();
        }
        for (Path p : storage.list(root)) {
            if (p.getName().contains(".tmp-")) {
                warn.accept(p + ": ignoring a half-written checkpoint");
            }
        }
        List<String> runMetrics = null;
        for (Path d : rounds()) {
            try {
                if (runMetrics == null) {
                    runMetrics = storage.exists(metrics) ? metricLines(storage.readAll(metrics)) : List.of();
                }
                return Optional.of(read(d, runMetrics));
            } catch (RuntimeException e) {
                warn.accept(d + ": skipping an unusable checkpoint (" + e.getMessage() + ")");
            }
        }
        return Optional.empty();
    }

    private static List<String> metricLines(byte[] file) {
        List<String> out = new ArrayList<>();
        for (String line : new String(file, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    private Checkpoint read(Path dir, List<String> runMetrics) {
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
        TrainState state = new TrainState(model.params(), first, second, steps, workers, velocity);
        String bad = state.firstNonFinite();
        if (bad != null) {
            throw new org.ffspark.data.InputDataException(dir.toString(), "holds a non-finite value (" + bad + ")");
        }
        List<String> lines;
        if (j.metricLines() != null) {
            if (j.metricLines() > runMetrics.size()) {
                throw new org.ffspark.data.InputDataException(metrics.toString(), "has " + runMetrics.size()
                        + " lines, the checkpoint of round " + (j.round() + 1) + " needs " + j.metricLines());
            }
            lines = List.copyOf(runMetrics.subList(0, j.metricLines()));
        } else {
            lines = j.metrics() == null ? List.of() : j.metrics();
        }
        java.util.Map<String, String> settings = j.settings() == null ? java.util.Map.of() : j.settings();
        return new Checkpoint(j.round(), state, lines, settings);
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

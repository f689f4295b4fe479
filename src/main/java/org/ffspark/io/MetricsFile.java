package org.ffspark.io;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.fs.Path;

/**
 * A run's {@code metrics.jsonl}, kept in memory and rewritten whole and atomically, since object stores cannot
 * append: at every epoch end, on the last line, and otherwise at most every {@link #FLUSH_NANOS}. With no file
 * (a run without a run directory) the lines are only kept in memory.
 */
public final class MetricsFile {
    /** Longest time between rewrites within an epoch. */
    static final long FLUSH_NANOS = 10_000_000_000L;

    private final Storage storage;
    private final Path file;
    private final String runId;
    private final List<String> lines = new ArrayList<>();
    private long lastWrite = System.nanoTime() - FLUSH_NANOS;

    public MetricsFile(Storage storage, Path file, String runId, List<String> earlier) {
        this.storage = storage;
        this.file = file;
        this.runId = runId;
        lines.addAll(earlier);
    }

    /** Adds one line (a record, written as one-line JSON); rewrites the file when {@code boundary} or when due. */
    public void add(Object line, boolean boundary) {
        lines.add(Json.line(line));
        long now = System.nanoTime();
        if (file != null && (boundary || now - lastWrite >= FLUSH_NANOS)) {
            storage.writeAtomically(file, bytes(), runId);
            lastWrite = now;
        }
    }

    /** Every line so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The file's content: the lines, each ended by a newline. */
    public byte[] bytes() {
        return String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8);
    }
}

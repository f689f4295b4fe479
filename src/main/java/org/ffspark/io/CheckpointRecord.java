package org.ffspark.io;

import java.util.List;
import java.util.Map;

/**
 * A checkpoint's {@code checkpoint.json} (schema {@code data-schemas/checkpoint.schema.json}): the round, the
 * optimizer file's checksum and array sizes, the run's settings (compared on resume) and its metric lines so far.
 * Files of runs without per-worker state or block momentum may lack {@code optimizerStates} (read as 1) and
 * {@code blockVelocityCount} (read as 0).
 */
public record CheckpointRecord(String format, int formatVersion, int round, String optimizerSha256, int firstMomentCount,
                               int secondMomentCount, int layers, Integer optimizerStates, Integer blockVelocityCount,
                               Map<String, String> settings, List<String> metrics) {
    public static final String FORMAT = "ffspark-checkpoint";
    public static final int VERSION = 1;

    public int workers() {
        return optimizerStates == null ? 1 : optimizerStates;
    }

    public int velocityCount() {
        return blockVelocityCount == null ? 0 : blockVelocityCount;
    }
}

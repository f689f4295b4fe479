package org.ffspark.io;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A checkpoint's {@code checkpoint.json} (schema {@code data-schemas/checkpoint.schema.json}): the round, the
 * optimizer file's checksum and array sizes, the run's settings (compared on resume) and how many lines of the run's
 * {@code metrics.jsonl} belong to it. Files of runs without per-worker state or block momentum may lack
 * {@code optimizerStates} (read as 1) and {@code blockVelocityCount} (read as 0); format version 1 copied the metric
 * lines themselves into {@code metrics} instead of counting them.
 */
public record CheckpointRecord(String format, int formatVersion, int round, String optimizerSha256, int firstMomentCount,
                               int secondMomentCount, int layers, Integer optimizerStates, Integer blockVelocityCount,
                               Map<String, String> settings, @JsonInclude(JsonInclude.Include.NON_NULL) Integer metricLines,
                               @JsonInclude(JsonInclude.Include.NON_NULL) List<String> metrics) {
    public static final String FORMAT = "ffspark-checkpoint";
    public static final int VERSION = 2;

    public int workers() {
        return optimizerStates == null ? 1 : optimizerStates;
    }

    public int velocityCount() {
        return blockVelocityCount == null ? 0 : blockVelocityCount;
    }
}

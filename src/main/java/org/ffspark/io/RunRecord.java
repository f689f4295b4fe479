package org.ffspark.io;

import java.util.Map;

/** A Spark training run's record, {@code run.json} (schema {@code data-schemas/run.schema.json}). */
public record RunRecord(String format, int formatVersion, String runId, String createdAt, String gitCommit, long seed,
                        Map<String, String> config, Map<String, String> dataChecksums, String data, String initModel,
                        Spark spark, String javaVersion) {
    public static final String FORMAT = "ffspark-run";
    public static final int VERSION = 1;

    /** Where and how the run was distributed. */
    public record Spark(String master, String sparkVersion, int partitions, int averagingPeriodBatches,
                        String optimizerState, float blockMomentum, float blockLearningRate, int rounds,
                        int checkpointEveryRounds, boolean resumed) {}
}

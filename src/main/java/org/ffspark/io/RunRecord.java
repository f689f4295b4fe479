package org.ffspark.io;

import java.util.Map;

/** A Spark training run's record, {@code run.json} (schema {@code data-schemas/run.schema.json}). */
public record RunRecord(String format, int formatVersion, String runId, String createdAt, String gitCommit, long seed,
                        Map<String, String> config, Map<String, String> dataChecksums, String data, String initModel,
                        Spark spark, String javaVersion, Blas blas) {
    public static final String FORMAT = "ffspark-run";
    public static final int VERSION = 1;

    /**
     * The record of a run on {@code master} (Spark {@code sparkVersion}) with {@code partitions} and {@code rounds}
     * of {@code averagingPeriodBatches} minibatches (dist.averaging-period resolved for the run's shards).
     */
    public static RunRecord of(String master, String sparkVersion, org.ffspark.config.TrainFfConfig cfg,
                               Map<String, String> checksums, String runId, int partitions, String data, String initModel,
                               boolean resumed, int rounds, int averagingPeriodBatches) {
        org.ffspark.config.DistConfig d = cfg.dist();
        Spark s = new Spark(master, sparkVersion, partitions, averagingPeriodBatches, d.optimizerState().name(),
                d.blockMomentum(), d.blockLearningRate(), rounds, d.checkpointEveryRounds(), resumed);
        return new RunRecord(FORMAT, VERSION, runId, java.time.Instant.now().toString(), BuildInfo.gitCommit(),
                cfg.train().seed(), cfg.toMap(), checksums, data, initModel, s, System.getProperty("java.version"),
                Blas.of(org.ffspark.ff.BlasKernels.current()));
    }

    /**
     * The driver's BLAS build and kernel family (executors log their own once per JVM): results are bit-identical
     * only within one kernel family on one CPU model.
     */
    public record Blas(String build, String kernels, String source, String cpu) {
        static Blas of(org.ffspark.ff.BlasKernels.Kernels k) {
            return new Blas(k.build(), k.core(), k.source(), k.cpu());
        }
    }

    /** Where and how the run was distributed. */
    public record Spark(String master, String sparkVersion, int partitions, int averagingPeriodBatches,
                        String optimizerState, float blockMomentum, float blockLearningRate, int rounds,
                        int checkpointEveryRounds, boolean resumed) {}
}

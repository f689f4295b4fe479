package org.ffspark.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.ffspark.io.Json;

/**
 * The benchmarks' result files under {@code bench/results/} (schemas {@code data-schemas/bench-ff.schema.json},
 * {@code bench-train.schema.json}, {@code bench-saliency.schema.json}). Every file names the commit and the BLAS
 * kernel family it ran with.
 */
final class BenchRecords {
    private BenchRecords() {}

    /** {@code bench-ff}: the engine's step speed per network, and optionally whole epochs and test accuracy. */
    record Ff(String gitCommit, String openblasCoretype, String blasBuild, String cpu, int cores, int threads, double peakGflops,
              List<FfResult> results) {}

    /** One network of {@code bench-ff}; the epoch fields only with {@code --epochs N > 0}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FfResult(String layers, String norm, int batch, int steps, double msPerStep, double examplesPerSecond,
                    double secondsPer60kEpoch, double gemmGflopPerStep, double achievedGflops, double achievedToPeak,
                    double gemmTimeShare, double updateTimeShare, double nd4jGemmMsSameShapes,
                    double ratioToNd4jGemm, double directGemmMsSameShapes, double ratioToDirectGemm, Integer epochs,
                    Double trainingSeconds, Integer trainingExamples, List<Double> epochSeconds,
                    Double medianEpochSecondsAfterFirst, Double epochGflops, Double epochToPeak, Double testAccuracy) {}

    /** {@code bench-scale}: one averaging round's traffic, stages, tasks and time per partition count. */
    record Scale(String gitCommit, String openblasCoretype, String driverMaxResultSize, int batchPerPartition,
                 int periodBatches, int warmupRounds, int rounds, List<ScaleResult> results) {}

    /** One network and optimizer-state mode of {@code bench-scale}; sizes in bytes as float32. */
    record ScaleResult(String layers, String optimizerState, long parameterBytes, long stateBytes,
                       List<org.ffspark.train.ScaleBenchmark.Point> points) {}

    /** {@code bench-train}: Spark against the single JVM, per network and averaging period. */
    record Train(String gitCommit, String openblasCoretype, List<Integer> averagingPeriodBatches, String optimizerState,
                 List<TrainResult> results) {}

    /** One network and period: every repeat, and each ratio's median and range (the two-executor ones unless --no-cluster). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TrainResult(String layers, int examples, int averagingPeriodBatches, List<TrainRepeat> repeats,
                       double sparkLocal2OverSingleJvm, double sparkLocal2OverSingleJvmMin, double sparkLocal2OverSingleJvmMax,
                       Double twoExecutorsOverOne, Double twoExecutorsOverOneMin, Double twoExecutorsOverOneMax) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TrainRepeat(List<TrainRun> runs, double sparkLocal2OverSingleJvm, Double twoExecutorsOverOne) {}

    record TrainRun(String label, double examplesPerSecond, double seconds, double computeSeconds, double broadcastSeconds,
                    double aggregateSeconds, int rounds) {}

    /** {@code bench-saliency}: maps per second and GEMM throughput per set of methods. */
    record Saliency(String gitCommit, String openblasCoretype, String model, List<SaliencyRun> runs) {}

    record SaliencyRun(String methods, long maps, double seconds, double mapsPerSecond, double achievedGflops,
                       double referenceGflops, double ratio) {}

    /** {@code bench-faithfulness}: every FF and MLP saliency method's faithfulness on a test split. */
    record FaithfulnessBench(String gitCommit, String openblasCoretype, String dataset, String target, long seed, int limit,
                             String ffModel, org.ffspark.job.FaithfulnessTable.Run ff, String mlpModel,
                             org.ffspark.job.FaithfulnessTable.Run mlp) {}

    /** {@code bench-accuracy}: a recipe's test accuracy on a data set over several seeds. */
    record Accuracy(String gitCommit, String openblasCoretype, String recipe, String dataset, int partitions,
                    int parallelSeeds, java.util.Map<String, String> config, List<AccuracySeed> seeds, double meanTestAccuracy,
                    double minTestAccuracy, double maxTestAccuracy) {
        static Accuracy of(String gitCommit, String coretype, String recipe, String dataset, int partitions, int parallelSeeds,
                           java.util.Map<String, String> config, List<AccuracySeed> seeds) {
            double[] acc = seeds.stream().mapToDouble(AccuracySeed::testAccuracy).toArray();
            return new Accuracy(gitCommit, coretype, recipe, dataset, partitions, parallelSeeds, config, seeds,
                    java.util.Arrays.stream(acc).average().orElse(Double.NaN), java.util.Arrays.stream(acc).min().orElse(Double.NaN),
                    java.util.Arrays.stream(acc).max().orElse(Double.NaN));
        }
    }

    /**
     * One seed: the final and best test accuracy (best epoch from 1), the curve after every epoch, the training
     * seconds (evaluation excluded) and the wall seconds of an uninterrupted run (null when it was resumed or reused).
     */
    record AccuracySeed(long seed, double testAccuracy, double bestAccuracy, int bestEpoch, List<Double> curve,
                        double trainingSeconds, Double wallSeconds) {}

    /** Writes {@code record} to {@code out}, creating its directory. */
    static void write(Path out, Object record) {
        try {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.write(tmp, Json.bytes(record));
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        }
    }
}

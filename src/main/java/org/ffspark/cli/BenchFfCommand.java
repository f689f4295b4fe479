package org.ffspark.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.ffspark.config.ConfigKeys;
import org.ffspark.config.FfConfig;
import org.ffspark.config.NormKind;
import org.ffspark.config.TrainConfig;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.ff.BlasKernels;
import org.ffspark.ff.FfBenchmark;
import org.ffspark.ff.FfFit;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.Gemm;
import org.ffspark.ff.GemmCheck;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.Storage;
import org.ffspark.report.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ffspark bench-ff}: engine speed against the machine's GEMM peak, and accuracy after N epochs. */
@Command(name = "bench-ff", mixinStandardHelpOptions = true,
        description = {"Benchmark the FF engine on 784-500-500 (L2 norm) and 784-2000x4 (RMS norm): training examples/s,",
                "achieved GEMM GFLOP/s and its ratio to Nd4j.gemm and to direct OpenBLAS on the same shapes (same run),",
                "then test accuracy after --epochs epochs. Writes JSON to --out."})
final class BenchFfCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/mnist", description = "IDX data directory (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--steps", defaultValue = "100", description = "Timed training steps per configuration (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--epochs", defaultValue = "4", description = "Full 60k epochs to time (the median of those after the first) and to "
            + "train for the accuracy figure; 0 skips them (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--configs", split = ";", defaultValue = "784,500,500;784,2000,2000,2000,2000",
            description = "Layer sizes to benchmark, ';'-separated (default ${DEFAULT-VALUE}).")
    List<String> configs;

    @Option(names = "--threads", defaultValue = "2", description = "Engine threads, 1 or 2 (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench/results/bench-ff.json", description = "Result file (default ${DEFAULT-VALUE}).")
    Path out;

    /** Wall times of the accuracy run's full epochs: the first (JIT compiles in it) and the rest. */
    record EpochTimes(double first, double medianAfterFirst, double bestAfterFirst, double worstAfterFirst) {
        static EpochTimes of(List<Double> seconds) {
            if (seconds.isEmpty()) {
                throw new IllegalArgumentException("no epochs timed");
            }
            List<Double> rest = seconds.subList(Math.min(1, seconds.size() - 1), seconds.size());
            return new EpochTimes(seconds.get(0), Medians.of(rest), java.util.Collections.min(rest), java.util.Collections.max(rest));
        }
    }

    @Override
    public Integer call() throws Exception {
        Storage storage = Storage.local();
        LabeledImages train = IdxDataset.read(storage, data, Split.TRAIN).images();
        LabeledImages test = IdxDataset.read(storage, data, Split.TEST).images();
        int cores = Runtime.getRuntime().availableProcessors();
        double peak = GemmCheck.peakGflops(2048, 5, cores);
        Gemm.init(1);
        System.out.printf(Locale.ROOT, "bench-ff: %s; peak %.1f GFLOP/s (best of 5 SGEMMs of 2048^3 on %d threads)%n",
                BlasKernels.current().describe(), peak, cores);
        List<BenchRecords.FfResult> results = new java.util.ArrayList<>();
        for (String layers : configs) {
            boolean wide = layers.contains("2000");
            TrainFfConfig cfg = TrainFfConfig.load(null, List.of())
                    .with(ConfigKeys.LAYERS, layers).with(ConfigKeys.NORM, (wide ? NormKind.RMS : NormKind.L2).name())
                    .with(ConfigKeys.EPOCHS, Integer.toString(Math.max(1, epochs)));
            FfConfig ff = cfg.ff();
            TrainConfig tc = cfg.train();
            FfBenchmark.Result r = FfBenchmark.run(ff, tc, train, Math.max(50, steps / 4), steps, threads);
            System.out.printf(Locale.ROOT, "bench-ff %s: thread time in GEMM calls %.0f%%, in optimizer updates %.0f%%, the rest %.0f%%%n",
                    r.layers(), 100 * r.gemmShare(), 100 * r.updateShare(), 100 * (1 - r.gemmShare() - r.updateShare()));
            System.out.printf(Locale.ROOT, "bench-ff %s batch %d: %.2f ms/step, %.0f examples/s (%.1f s per 60k epoch), GEMM %.3f GFLOP/step, %.1f GFLOP/s achieved (%.2f of the peak);"
                            + " same shapes: Nd4j.gemm %.2f ms -> ratio %.2f, direct OpenBLAS %.2f ms -> ratio %.2f%n",
                    r.layers(), r.batch(), r.stepMs(), r.examplesPerSecond(), 60000 / r.examplesPerSecond(),
                    r.gflopsPerStep(), r.achievedGflops(), r.achievedGflops() / peak, r.nd4jGemmMs(), r.ratioToNd4jGemm(), r.directGemmMs(), r.ratioToDirectGemm());
            Integer epochsRun = null;
            Double trainingSeconds = null;
            Integer trainingExamples = null;
            List<Double> epochTimes = null;
            Double medianEpoch = null;
            Double epochGflops = null;
            Double accuracy = null;
            if (epochs > 0) {
                FfModel model = FfModel.initialise(ff, tc.seed());
                List<Double> epochSeconds = new java.util.ArrayList<>();
                long[] flopsAfterFirst = {0, 0};
                long t0 = System.nanoTime();
                FfFit.fit(model, tc, train, threads, rep -> {
                    epochSeconds.add(rep.seconds());
                    if (epochSeconds.size() == 1) {
                        flopsAfterFirst[0] = Gemm.flopsIssued();
                    }
                    flopsAfterFirst[1] = Gemm.flopsIssued();
                    TrainCommand.printProgress(rep);
                });
                double secs = (System.nanoTime() - t0) / 1e9;
                Evaluation e = Evaluation.ofFf(model, test);
                Gemm.init(1);
                System.out.printf("bench-ff %s: test accuracy %.2f%% after %d epochs (%.1f s training)%n", r.layers(), 100 * e.accuracy(), epochs, secs);
                EpochTimes times = EpochTimes.of(epochSeconds);
                System.out.printf("bench-ff %s: full epochs of %d examples: first %.2f s (JIT warm-up), later ones median %.2f s, best %.2f s,"
                                + " worst %.2f s%n", r.layers(), train.count(), times.first(), times.medianAfterFirst(), times.bestAfterFirst(),
                        times.worstAfterFirst());
                epochsRun = epochs;
                trainingSeconds = secs;
                trainingExamples = train.count();
                epochTimes = epochSeconds;
                medianEpoch = times.medianAfterFirst();
                double laterSeconds = epochSeconds.subList(1, epochSeconds.size()).stream().mapToDouble(Double::doubleValue).sum();
                epochGflops = epochSeconds.size() > 1 ? (flopsAfterFirst[1] - flopsAfterFirst[0]) / laterSeconds / 1e9 : null;
                if (epochGflops != null) {
                    System.out.printf(Locale.ROOT, "bench-ff %s: %.1f GFLOP/s performed over the later epochs, %.2f of the peak%n",
                            r.layers(), epochGflops, epochGflops / peak);
                }
                accuracy = e.accuracy();
            }
            results.add(new BenchRecords.FfResult(r.layers(), ff.norm().name(), r.batch(), r.steps(), r.stepMs(),
                    r.examplesPerSecond(), 60000 / r.examplesPerSecond(), r.gflopsPerStep(), r.achievedGflops(), r.achievedGflops() / peak,
                    r.gemmShare(), r.updateShare(), r.nd4jGemmMs(),
                    r.ratioToNd4jGemm(), r.directGemmMs(), r.ratioToDirectGemm(), epochsRun, trainingSeconds, trainingExamples,
                    epochTimes, medianEpoch, epochGflops, epochGflops == null ? null : epochGflops / peak, accuracy));
        }
        BenchRecords.write(out, new BenchRecords.Ff(BuildInfo.gitCommit(), BuildInfo.openblasCoretype(), BlasKernels.current().build(),
                BlasKernels.current().cpu(), cores, threads, peak, results));
        System.out.println("bench-ff: results written to " + out);
        return Main.OK;
    }
}

package org.ffspark.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.Storage;
import org.ffspark.train.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.ffspark.config.OptimizerState;
import org.ffspark.config.ConfigKeys;
import org.ffspark.config.ConfigException;

/** {@code ffspark bench-train}: single-JVM against Spark training throughput, ratios from one run. */
@Command(name = "bench-train", mixinStandardHelpOptions = true,
        description = {"Benchmark distributed training: examples/s of the single-JVM trainer, Spark local[2] with 2 partitions,",
                "and local-cluster with 1 and 2 executors (needs SPARK_HOME with a jars/ directory; jobs/bench-train sets it),",
                "for 784-500-500 and 784-2000x4, at one or more averaging periods; prints ratios and the per-round time split;",
                "writes JSON to --out."})
final class BenchTrainCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/mnist", description = "IDX data directory (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--examples", defaultValue = "6000", description = "Training examples used (default ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--wide-examples", paramLabel = "N", description = "Training examples for 784-2000x4 (default: a tenth of --examples, at least 1000).")
    Integer wideExamples;

    @Option(names = "--warmup-epochs", paramLabel = "N", defaultValue = "1",
            description = "Untimed epochs before the timed ones, in every mode (default ${DEFAULT-VALUE}); fresh executor JVMs compile for a while.")
    int warmupEpochs;

    @Option(names = "--warmup-rounds", paramLabel = "N", defaultValue = "150",
            description = "Short untimed averaging rounds (one minibatch per partition) before the warm-up epochs of every Spark set-up:"
                    + " fresh executor JVMs compile Spark's task path for a few hundred jobs, which a long training amortises (default ${DEFAULT-VALUE}).")
    int warmupRounds;

    @Option(names = "--epochs", defaultValue = "2", description = "Timed epochs after the warm-up (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--averaging-period", split = ",", paramLabel = "BATCHES", defaultValue = "10",
            description = "Minibatches between averages; a comma-separated list measures each against the same single-JVM run (default ${DEFAULT-VALUE}).")
    List<Integer> periods;

    @Option(names = "--optimizer-state", paramLabel = "MODE", defaultValue = "averaged",
            description = "Spark set-ups: 'averaged' (the optimizer state travels with the parameters both ways every round) or"
                    + " 'per-worker' (each partition keeps its own, in the executors; only parameters travel)"
                    + " (default ${DEFAULT-VALUE}).", converter = OptimizerStateConverter.class)
    OptimizerState optimizerState;

    @Option(names = "--configs", split = ";", defaultValue = "784,500,500;784,2000,2000,2000,2000", description = "Layer sizes, ';'-separated (default ${DEFAULT-VALUE}).")
    List<String> configs;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "1",
            description = "Measure every set-up N times, alternating the order (odd repeats reversed), and report each ratio's"
                    + " median and range: this machine's speed drifts by tens of percent within minutes (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--no-cluster", description = "Skip the local-cluster measurements.")
    boolean noCluster;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench/results/bench-train.json", description = "Result file (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        ConfigException.require(examples >= 1, "--examples", examples, "must be >= 1");
        ConfigException.require(wideExamples == null || wideExamples >= 1, "--wide-examples", wideExamples, "must be >= 1");
        ConfigException.require(warmupEpochs >= 0, "--warmup-epochs", warmupEpochs, "must be >= 0");
        ConfigException.require(epochs >= 1, "--epochs", epochs, "must be >= 1");
        ConfigException.require(warmupRounds >= 0, "--warmup-rounds", warmupRounds, "must be >= 0");
        ConfigException.require(repeats >= 1, "--repeats", repeats, "must be >= 1");
        for (int period : periods) {
            ConfigException.require(period >= 1, "--averaging-period", period, "must be >= 1");
        }
        OptimizerState mode = optimizerState;
        LabeledImages all = IdxDataset.read(Storage.local(), data, Split.TRAIN).images();
        String cp = System.getProperty("java.class.path");
        List<BenchRecords.TrainResult> results = new ArrayList<>();
        for (String layers : configs) {
            boolean wide = layers.contains("2000");
            TrainFfConfig cfg = TrainFfConfig.load(null, List.of())
                    .with(ConfigKeys.LAYERS, layers).with(ConfigKeys.NORM, wide ? "RMS" : "L2");
            LabeledImages set = all.head(wide ? (wideExamples != null ? wideExamples : Math.max(1000, examples / 10)) : examples);
            for (int period : periods) {
                List<BenchRecords.TrainRepeat> reps = new ArrayList<>();
                List<Double> local2 = new ArrayList<>();
                List<Double> scaling = new ArrayList<>();
                for (int rep = 0; rep < repeats; rep++) {
                    // Odd repeats run the modes in reverse order, so a drift of the machine's speed during the
                    // benchmark (seen here: +-40% within minutes) does not favour one side of a ratio.
                    List<Mode> order = new ArrayList<>(noCluster ? List.of(Mode.SINGLE, Mode.LOCAL2) : List.of(Mode.values()));
                    if (rep % 2 == 1) {
                        java.util.Collections.reverse(order);
                    }
                    java.util.Map<Mode, TrainBenchmark.Result> rs = new java.util.EnumMap<>(Mode.class);
                    for (Mode m : order) {
                        TrainBenchmark.Result r = measure(m, cfg, set, period, mode, cp);
                        rs.put(m, r);
                        print(layers + (m == Mode.SINGLE ? "" : " period " + period) + (repeats > 1 ? " repeat " + (rep + 1) : ""), r);
                    }
                    List<BenchRecords.TrainRun> runs = rs.values().stream().map(r -> new BenchRecords.TrainRun(r.label(),
                            r.examplesPerSecond(), r.seconds(), r.compute(), r.broadcast(), r.aggregate(), r.rounds())).toList();
                    double ratio = rs.get(Mode.LOCAL2).examplesPerSecond() / rs.get(Mode.SINGLE).examplesPerSecond();
                    local2.add(ratio);
                    Double scale = null;
                    if (!noCluster) {
                        scale = rs.get(Mode.TWO_EXECUTORS).examplesPerSecond() / rs.get(Mode.ONE_EXECUTOR).examplesPerSecond();
                        scaling.add(scale);
                    }
                    reps.add(new BenchRecords.TrainRepeat(runs, ratio, scale));
                }
                double[] l2 = summarise(layers, period, "Spark local[2]/single JVM", local2);
                double[] two = noCluster ? null : summarise(layers, period, "2 executors / 1 executor", scaling);
                results.add(new BenchRecords.TrainResult(layers, set.count(), period, reps, l2[0], l2[1], l2[2],
                        two == null ? null : two[0], two == null ? null : two[1], two == null ? null : two[2]));
            }
        }
        BenchRecords.write(out, new BenchRecords.Train(BuildInfo.gitCommit(), BuildInfo.openblasCoretype(), periods, mode.name(), results));
        System.out.println("bench-train: results written to " + out);
        return Main.OK;
    }

    /** The measured set-ups of one repeat. */
    enum Mode { SINGLE, LOCAL2, ONE_EXECUTOR, TWO_EXECUTORS }

    private TrainBenchmark.Result measure(Mode m, TrainFfConfig cfg, LabeledImages set, int period,
                                          OptimizerState mode, String cp) {
        if (m == Mode.SINGLE) {
            return TrainBenchmark.local(cfg, set, warmupEpochs, epochs);
        }
        String master = switch (m) {
            case LOCAL2 -> "local[2]";
            case ONE_EXECUTOR -> "local-cluster[1,1,2560]";
            default -> "local-cluster[2,1,2560]";
        };
        String label = switch (m) {
            case LOCAL2 -> "Spark local[2], 2 partitions";
            case ONE_EXECUTOR -> "local-cluster, 1 executor, 2 partitions";
            default -> "local-cluster, 2 executors, 2 partitions";
        };
        try (SparkSession s = TrainBenchmark.open(master, cp)) {
            return TrainBenchmark.spark(label, s, cfg, set, 2, period, mode, warmupRounds, warmupEpochs, epochs);
        }
    }

    /** Prints and records the median (and range) of one ratio over the repeats; the JSON field holds the median. */
    /** Prints a ratio's median and range over the repeats; returns {median, min, max}. */
    private static double[] summarise(String layers, int period, String what, List<Double> ratios) {
        double median = Medians.of(ratios);
        if (ratios.size() == 1) {
            System.out.printf("bench-train %s period %d: %s = %.2f%n", layers, period, what, median);
        } else {
            System.out.printf("bench-train %s period %d: %s = %.2f (median of %d repeats; range %.2f-%.2f; each %s)%n", layers, period,
                    what, median, ratios.size(), java.util.Collections.min(ratios), java.util.Collections.max(ratios),
                    ratios.stream().map(r -> String.format("%.2f", r)).toList());
        }
        return new double[] {median, java.util.Collections.min(ratios), java.util.Collections.max(ratios)};
    }

    private static void print(String what, TrainBenchmark.Result r) {
        System.out.printf("bench-train %s %s: %.0f examples/s (%.1f s; compute %.1f, broadcast %.2f, aggregate+scheduling %.1f over %d rounds)%n",
                what, r.label(), r.examplesPerSecond(), r.seconds(), r.compute(), r.broadcast(), r.aggregate(), r.rounds());
    }
}

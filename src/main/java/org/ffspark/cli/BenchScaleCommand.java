package org.ffspark.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.ffspark.config.ConfigException;
import org.ffspark.config.ConfigKeys;
import org.ffspark.config.OptimizerState;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.ff.FfLayout;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.Storage;
import org.ffspark.train.ScaleBenchmark;
import org.ffspark.train.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ffspark bench-scale}: how a round's driver traffic, tasks and time grow with the executor count. */
@Command(name = "bench-scale", mixinStandardHelpOptions = true,
        description = {"Benchmark scale-out: averaging rounds on local-cluster with N executors (one partition each) and",
                "record per N the bytes the driver receives per round (Spark's task metrics), the bytes each executor",
                "sends and receives, stages and tasks per round and the round's time split, for each network and",
                "optimizer-state mode (needs SPARK_HOME with a jars/ directory; jobs/bench-scale sets it); writes JSON to --out."})
final class BenchScaleCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data/mnist", description = "IDX data directory (default ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--executors", split = ",", paramLabel = "N", defaultValue = "2,4,8,16",
            description = "Executor counts, one local-cluster each (default ${DEFAULT-VALUE}).")
    List<Integer> executors;

    @Option(names = "--local-partitions", split = ",", paramLabel = "N",
            description = "Partition counts also run on local[2] in this JVM (recorded with executors 0): task results,"
                    + " stages and tasks are counted as on a cluster, for sizes whose executor JVMs would not fit in memory.")
    List<Integer> localPartitions = List.of();

    @Option(names = "--configs", split = ";", defaultValue = "784,500,500;784,2000,2000,2000,2000",
            description = "Layer sizes, ';'-separated (default ${DEFAULT-VALUE}).")
    List<String> configs;

    @Option(names = "--optimizer-state", split = ",", paramLabel = "MODE", defaultValue = "averaged,per-worker",
            description = "Optimizer-state modes to measure (default ${DEFAULT-VALUE}).", converter = OptimizerStateConverter.class)
    List<OptimizerState> modes;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "10",
            description = "Examples per partition and minibatch (the work per round is kept small) (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--period", paramLabel = "BATCHES", defaultValue = "1",
            description = "Minibatches per partition and round (default ${DEFAULT-VALUE}; more for the model's validation runs).")
    int period;

    @Option(names = "--warmup-rounds", paramLabel = "N", defaultValue = "3", description = "Untimed rounds first (default ${DEFAULT-VALUE}).")
    int warmupRounds;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Counted rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--executor-memory", paramLabel = "MB", defaultValue = "1024",
            description = "Heap of each executor JVM in MB (default ${DEFAULT-VALUE}).")
    int executorMb;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "bench/results/scale.json", description = "Result file (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() {
        for (int n : executors) {
            ConfigException.require(n >= 1, "--executors", n, "must be >= 1");
        }
        for (int n : localPartitions) {
            ConfigException.require(n >= 1, "--local-partitions", n, "must be >= 1");
        }
        ConfigException.require(batch >= 1, "--batch", batch, "must be >= 1");
        ConfigException.require(period >= 1, "--period", period, "must be >= 1");
        ConfigException.require(warmupRounds >= 0, "--warmup-rounds", warmupRounds, "must be >= 0");
        ConfigException.require(rounds >= 1, "--rounds", rounds, "must be >= 1");
        ConfigException.require(executorMb >= 256, "--executor-memory", executorMb, "must be >= 256 MB");
        LabeledImages all = IdxDataset.read(Storage.local(), data, Split.TRAIN).images();
        String cp = System.getProperty("java.class.path");
        List<BenchRecords.ScaleResult> results = new ArrayList<>();
        String maxResult = null;
        for (String layers : configs) {
            TrainFfConfig cfg = TrainFfConfig.load(null, List.of()).with(ConfigKeys.LAYERS, layers)
                    .with(ConfigKeys.BATCH_SIZE, Integer.toString(batch));
            long params = 4L * new FfLayout(cfg.ff()).size();
            for (OptimizerState mode : modes) {
                List<ScaleBenchmark.Point> points = new ArrayList<>();
                long state = mode == OptimizerState.AVERAGED ? 3 * params : params;
                results.add(new BenchRecords.ScaleResult(layers, mode.name(), params, state, points));
                List<int[]> runs = new ArrayList<>();  // {executors, partitions}; executors 0: local[2]
                executors.forEach(n -> runs.add(new int[] {n, n}));
                localPartitions.forEach(n -> runs.add(new int[] {0, n}));
                for (int[] run : runs) {
                    int n = run[1];
                    String master = run[0] == 0 ? "local[2]" : "local-cluster[" + n + ",1," + executorMb + "]";
                    try (SparkSession s = TrainBenchmark.open(master, cp, executorMb)) {
                        maxResult = s.sparkContext().getConf().get("spark.driver.maxResultSize", "1g (default)");
                        ScaleBenchmark.Point p = ScaleBenchmark.measure(s, run[0], cfg, all, n, mode, period, warmupRounds, rounds);
                        points.add(p);
                        write(results, maxResult);
                        System.out.printf("bench-scale %s %s N=%d%s: driver %.2f MB/round (max %.2f), broadcast %.2f MB, %.1f stages,"
                                        + " %.1f tasks per round; round %.3f s (compute %.3f, broadcast %.3f, aggregate %.3f)%n",
                                layers, mode, n, run[0] == 0 ? " (local[2])" : "", p.driverBytesPerRound() / 1e6, p.driverBytesMaxRound() / 1e6, p.broadcastBytes() / 1e6,
                                p.stagesPerRound(), p.tasksPerRound(), p.secondsPerRound(), p.computeSeconds(), p.broadcastSeconds(),
                                p.aggregateSeconds());
                    }
                }
            }
        }
        System.out.println("bench-scale: results written to " + out);
        return Main.OK;
    }

    /** Rewrites the result file with every point measured so far, so a later failure loses nothing measured. */
    private void write(List<BenchRecords.ScaleResult> results, String maxResult) {
        BenchRecords.write(out, new BenchRecords.Scale(BuildInfo.gitCommit(), BuildInfo.openblasCoretype(), maxResult, batch,
                period, warmupRounds, rounds, results));
    }
}

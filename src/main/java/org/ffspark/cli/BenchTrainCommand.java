package org.ffspark.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.SparkSession;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.Json;
import org.ffspark.io.Storage;
import org.ffspark.train.TrainBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Option(names = "--epochs", defaultValue = "2", description = "Timed epochs after the warm-up (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--averaging-period", split = ",", paramLabel = "BATCHES", defaultValue = "10",
            description = "Minibatches between averages; a comma-separated list measures each against the same single-JVM run (default ${DEFAULT-VALUE}).")
    List<Integer> periods;

    @Option(names = "--configs", split = ";", defaultValue = "784,500,500;784,2000,2000,2000,2000", description = "Layer sizes, ';'-separated (default ${DEFAULT-VALUE}).")
    List<String> configs;

    @Option(names = "--no-cluster", description = "Skip the local-cluster measurements.")
    boolean noCluster;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "runs/bench-train.json", description = "Result file (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        org.ffspark.config.ConfigException.require(examples >= 1, "--examples", examples, "must be >= 1");
        org.ffspark.config.ConfigException.require(wideExamples == null || wideExamples >= 1, "--wide-examples", wideExamples, "must be >= 1");
        org.ffspark.config.ConfigException.require(warmupEpochs >= 0, "--warmup-epochs", warmupEpochs, "must be >= 0");
        org.ffspark.config.ConfigException.require(epochs >= 1, "--epochs", epochs, "must be >= 1");
        for (int period : periods) {
            org.ffspark.config.ConfigException.require(period >= 1, "--averaging-period", period, "must be >= 1");
        }
        LabeledImages all = IdxDataset.read(Storage.local(), data, Split.TRAIN).images();
        String cp = System.getProperty("java.class.path");
        ObjectNode root = Json.object();
        root.put("gitCommit", BuildInfo.gitCommit());
        ArrayNode ps = root.putArray("averagingPeriodBatches");
        periods.forEach(ps::add);
        ArrayNode results = root.putArray("results");
        for (String layers : configs) {
            boolean wide = layers.contains("2000");
            TrainFfConfig cfg = TrainFfConfig.load(null, List.of("ff.layers=" + layers, "ff.norm=" + (wide ? "RMS" : "L2")));
            LabeledImages set = all.head(wide ? (wideExamples != null ? wideExamples : Math.max(1000, examples / 10)) : examples);
            TrainBenchmark.Result single = TrainBenchmark.local(cfg, set, warmupEpochs, epochs);
            print(layers, single);
            for (int period : periods) {
                List<TrainBenchmark.Result> rs = new ArrayList<>();
                rs.add(single);
                try (SparkSession s = TrainBenchmark.open("local[2]", cp)) {
                    rs.add(TrainBenchmark.spark("Spark local[2], 2 partitions", s, cfg, set, 2, period, warmupEpochs, epochs));
                }
                TrainBenchmark.Result one = null;
                TrainBenchmark.Result two = null;
                if (!noCluster) {
                    try (SparkSession s = TrainBenchmark.open("local-cluster[1,1,2560]", cp)) {
                        one = TrainBenchmark.spark("local-cluster, 1 executor, 2 partitions", s, cfg, set, 2, period, warmupEpochs, epochs);
                        rs.add(one);
                    }
                    try (SparkSession s = TrainBenchmark.open("local-cluster[2,1,2560]", cp)) {
                        two = TrainBenchmark.spark("local-cluster, 2 executors, 2 partitions", s, cfg, set, 2, period, warmupEpochs, epochs);
                        rs.add(two);
                    }
                }
                ObjectNode o = results.addObject();
                o.put("layers", layers);
                o.put("examples", set.count());
                o.put("averagingPeriodBatches", period);
                ArrayNode runs = o.putArray("runs");
                for (TrainBenchmark.Result r : rs) {
                    if (r != single) {
                        print(layers + " period " + period, r);
                    }
                    ObjectNode ro = runs.addObject();
                    ro.put("label", r.label());
                    ro.put("examplesPerSecond", r.examplesPerSecond());
                    ro.put("seconds", r.seconds());
                    ro.put("computeSeconds", r.compute());
                    ro.put("broadcastSeconds", r.broadcast());
                    ro.put("aggregateSeconds", r.aggregate());
                    ro.put("rounds", r.rounds());
                }
                double ratio = rs.get(1).examplesPerSecond() / single.examplesPerSecond();
                System.out.printf("bench-train %s period %d: Spark local[2]/single JVM = %.2f%n", layers, period, ratio);
                o.put("sparkLocal2OverSingleJvm", ratio);
                if (one != null) {
                    double scale = two.examplesPerSecond() / one.examplesPerSecond();
                    System.out.printf("bench-train %s period %d: 2 executors / 1 executor = %.2f%n", layers, period, scale);
                    o.put("twoExecutorsOverOne", scale);
                }
            }
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.write(out, Json.bytes(root));
        System.out.println("bench-train: results written to " + out);
        return Main.OK;
    }

    private static void print(String what, TrainBenchmark.Result r) {
        System.out.printf("bench-train %s %s: %.0f examples/s (%.1f s; compute %.1f, broadcast %.2f, aggregate+scheduling %.1f over %d rounds)%n",
                what, r.label(), r.examplesPerSecond(), r.seconds(), r.compute(), r.broadcast(), r.aggregate(), r.rounds());
    }
}

package org.ffspark.cli;

import java.util.concurrent.Callable;

import org.ffspark.config.ConfigException;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.ff.FfFit;
import org.ffspark.ff.LayerStats;
import org.apache.spark.sql.SparkSession;
import org.ffspark.job.LocalTrainJob;
import org.ffspark.job.TrainJob;
import org.ffspark.train.SparkFfTrainer;
import org.ffspark.io.Storage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ffspark train}: train an FF network. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a Forward-Forward network and write the model directory (manifest.json, params.bin, metrics.jsonl).",
                "Default: Spark job with periodic parameter averaging (master from spark-submit, --master, or local[*]).",
                "--local trains in this JVM (1 or 2 threads; bit-identical results either way)."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--local", description = "Train in this JVM, without Spark.")
    boolean local;

    @Mixin
    PathOptions.Data dataIn;

    @Mixin
    PathOptions.ModelOut modelOut;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Train on the first N examples only (0 = all; default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2", description = "Threads for --local: 1 or 2 (default ${DEFAULT-VALUE}).")
    int threads;

    @Mixin
    ShardOptions shards;

    @Mixin
    DistOptions dist;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Spark: run directory for checkpoints, metrics.jsonl and run.json (default: <model>.run).")
    String runDir;

    @Option(names = "--resume", description = "Spark: continue from the newest valid checkpoint in the run directory (same settings as the interrupted run).")
    boolean resume;

    @Option(names = "--allow-config-change", description = "With --resume: continue although the configuration, partitioning or data differ from the checkpoint's (warns; the result then differs from an uninterrupted run).")
    boolean allowConfigChange;

    @Mixin
    SparkOptions sparkOptions;

    @Option(names = "--test-each-epoch", description = "Evaluate on the test split after every epoch (learning curve in metrics.jsonl).")
    boolean testEachEpoch;

    @Option(names = "--init-model", paramLabel = "DIR", description = "Spark: start from this model's parameters (same ff.* settings) instead of a random initialisation.")
    String initModel;

    @Mixin
    OverwriteOption output;

    @Override
    public Integer call() {
        ConfigException.require(threads == 1 || threads == 2, "--threads", threads, "must be 1 or 2");
        ConfigException.require(limit >= 0, "--limit", limit, "must be >= 0");
        shards.validate();
        TrainFfConfig cfg = config.load(dist.overrides());
        System.out.println("train: effective config " + cfg.toMap());
        ConfigException.require(!allowConfigChange || resume, "--allow-config-change", true, "only with --resume");
        if (!local) {
            ConfigException.require(limit == 0, "--limit", limit, "only with --local");
        } else {
            ConfigException.require(initModel == null, "--init-model", initModel, "only without --local (the Spark trainer)");
            dist.requireSingleJvmCompatible(cfg);
        }
        if (!local) {
            try (SparkSession spark = Sessions.open("train", sparkOptions.master)) {
                TrainJob.run(spark, new Storage(spark.sparkContext().hadoopConfiguration()), cfg,
                        new TrainJob.Options(dataIn.data, modelOut.model, runDir, shards.partitions, resume, output.overwrite, initModel, testEachEpoch, allowConfigChange),
                        (r, s) -> printRound(r), w -> System.err.println("train: warning: " + w));
            }
            System.out.println("train: model written to " + modelOut.model);
            return Main.OK;
        }
        LocalTrainJob.run(Storage.local(), cfg, new LocalTrainJob.Options(dataIn.data, modelOut.model, limit, threads, output.overwrite, testEachEpoch),
                TrainCommand::printProgress);
        System.out.println("train: model written to " + modelOut.model);
        return Main.OK;
    }

    static void printProgress(FfFit.EpochReport r) {
        printProgress(r, Double.NaN);
    }

    static void printProgress(FfFit.EpochReport r, double testAccuracy) {
        StringBuilder b = new StringBuilder();
        if (r.phases() > 1) {
            b.append(String.format("layer %d/%d ", r.phase() + 1, r.phases()));
        }
        b.append(String.format("epoch %d/%d  loss %.4f", r.epoch() + 1, r.epochs(), r.stats().totalMeanLoss()));
        LayerStats s = r.stats();
        for (int l = 0; l < s.layers(); l++) {
            if (s.examples(l) > 0) {
                b.append(String.format("  L%d G+ %.3f G- %.3f", l + 1, s.meanGoodnessPositive(l), s.meanGoodnessNegative(l)));
            }
        }
        b.append(String.format("  %.0f ex/s  %.2fs  ETA %s", r.examplesPerSecond(), r.seconds(), duration(r.etaSeconds())));
        if (!Double.isNaN(testAccuracy)) {
            b.append(String.format("  test %.2f%%", 100 * testAccuracy));
        }
        System.out.println(b);
    }

    static void printRound(SparkFfTrainer.RoundReport r) {
        printRound("", r);
    }

    /** One progress line per round, after {@code prefix} (e.g. the seed of one of several runs at once). */
    static void printRound(String prefix, SparkFfTrainer.RoundReport r) {
        StringBuilder b = new StringBuilder(prefix).append(String.format("round %d/%d  epoch %d", r.position().round() + 1, r.rounds(), r.position().epoch() + 1));
        if (r.position().phase() > 0) {
            b.append(String.format(" (layer %d)", r.position().phase() + 1));
        }
        LayerStats s = r.stats();
        b.append(String.format("  loss %.4f", s.totalMeanLoss()));
        for (int l = 0; l < s.layers(); l++) {
            if (s.examples(l) > 0) {
                b.append(String.format("  L%d G+ %.3f G- %.3f", l + 1, s.meanGoodnessPositive(l), s.meanGoodnessNegative(l)));
            }
        }
        b.append(String.format("  %.0f ex/s  round %.2fs (compute %.2f, broadcast %.2f, aggregate %.2f)  ETA %s",
                r.examples() / r.seconds(), r.seconds(), r.computeSeconds(), r.broadcastSeconds(), r.aggregateSeconds(), duration(r.etaSeconds())));
        System.out.println(b);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}

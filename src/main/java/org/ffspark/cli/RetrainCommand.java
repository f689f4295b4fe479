package org.ffspark.cli;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.ffspark.config.ConfigException;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.io.Storage;
import org.ffspark.job.RetrainJob;
import org.ffspark.saliency.SaliencyMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ffspark retrain}: train, evaluate, register and maybe promote a new version in a model registry. */
@Command(name = "retrain", mixinStandardHelpOptions = true,
        description = {"Scheduled retraining: warm-start from the registry's champion (or --fresh), train on the given data,",
                "evaluate the new version and the champion on its test split, register the version, and promote it when its",
                "accuracy is at least the champion's minus --tolerance; a new champion gets a fresh saliency report.",
                "One retrain per registry at a time (lock file with heartbeat). Exit codes: 0 done (promoted or not),",
                "2 bad config, 3 bad data, 4 I/O error, 5 another retrain holds the registry."})
final class RetrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--registry", paramLabel = "DIR", required = true, description = "Model registry directory (any Hadoop FS; created if missing).")
    String registry;

    @Mixin
    PathOptions.Data dataIn;

    @Option(names = "--saliency-data", paramLabel = "DIR", description = "IDX directory for the saliency report (default: --data, which must then be IDX).")
    String saliencyData;

    @Option(names = "--fresh", description = "Train from a random initialisation instead of the champion's parameters.")
    boolean fresh;

    @Option(names = "--tolerance", paramLabel = "FRACTION", defaultValue = "0.0",
            description = "Largest accepted drop in test accuracy versus the champion, as a fraction (0.005 = half a point; default ${DEFAULT-VALUE}: never worse).")
    double tolerance;

    @Mixin
    ShardOptions shards;

    @Mixin
    DistOptions dist;

    @Option(names = "--report-limit", paramLabel = "N", defaultValue = "0", description = "Saliency report on the first N test images (default ${DEFAULT-VALUE} = all).")
    int reportLimit;

    @Option(names = "--report-methods", split = ",", defaultValue = "FF_OCCLUSION,FF_GRADIENT_X_INPUT,RANDOM",
            description = "Saliency methods of the report (default ${DEFAULT-VALUE}).")
    List<SaliencyMethod> reportMethods;

    @Option(names = "--lock-stale-after", paramLabel = "SECONDS", defaultValue = "600",
            description = "A lock whose holder sent no heartbeat for this long is taken over (default ${DEFAULT-VALUE}); a holder on this host whose process is gone is stale at once.")
    long lockStaleAfter;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        shards.validate();
        List<String> distOverrides = dist.overrides();
        ConfigException.require(lockStaleAfter > 0, "--lock-stale-after", lockStaleAfter, "must be > 0 seconds");
        TrainFfConfig cfg = config.load(distOverrides);
        try (SparkSession spark = Sessions.open("retrain", sparkOptions.master)) {
            RetrainJob.Result r = RetrainJob.run(spark, new Storage(spark.sparkContext().hadoopConfiguration()), cfg,
                    new RetrainJob.Options(registry, dataIn.data, saliencyData, fresh, tolerance, shards.partitions, reportLimit, reportMethods,
                            Duration.ofSeconds(lockStaleAfter)),
                    (rep, s) -> TrainCommand.printRound(rep), m -> System.err.println("retrain: " + m));
            System.out.printf(Locale.ROOT, "retrain: %s test accuracy %.4f%s -> %s%n", r.version(), r.accuracy(),
                    r.championAccuracy().isPresent() ? String.format(Locale.ROOT, " (champion %.4f)", r.championAccuracy().getAsDouble()) : "",
                    r.promoted() ? "promoted to champion; report " + r.report() : "kept as candidate");
        }
        return Main.OK;
    }
}

package org.ffspark.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.ffspark.baseline.MlpSaliency;
import org.ffspark.config.ConfigException;
import org.ffspark.data.Split;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.Storage;
import org.ffspark.job.FaithfulnessTable;
import org.ffspark.job.SaliencyJob;
import org.ffspark.saliency.SaliencySpec;
import org.ffspark.saliency.SaliencyTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ffspark bench-faithfulness}: FF saliency against the MLP's gradient saliency on a whole test split, every
 * method of both models, deletion and insertion under the zero and the ROAD baseline, with confidence intervals.
 * Trains the two models when they are not given; every stage is kept under --work and reused when rerun.
 */
@Command(name = "bench-faithfulness", mixinStandardHelpOptions = true,
        description = {"Faithfulness benchmark: saliency maps of every FF method and every MLP method over a test split, each",
                "scored by deletion and insertion under the zero baseline and ROAD's noisy linear imputation; writes each",
                "method's mean area and 95%% interval to --out. Trains the FF model (train --local) and the MLP (train-mlp) from",
                "--config when --ff-model / --mlp-model are not given. Stages are kept under --work and reused on a rerun."})
final class BenchFaithfulnessCommand implements Callable<Integer> {
    @Option(names = "--dataset", paramLabel = "NAME", required = true, description = "mnist or fashion-mnist (read from <data-dir>/<name>).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data", description = "Data directory (default ${DEFAULT-VALUE}).")
    String dataDir;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "conf/train-ff.properties",
            description = "Configuration of the models trained here (default ${DEFAULT-VALUE}); the MLP takes its hidden sizes.")
    String config;

    @Option(names = "--ff-model", paramLabel = "DIR", description = "An FF model to explain instead of training one.")
    String ffModel;

    @Option(names = "--mlp-model", paramLabel = "DIR", description = "An MLP baseline model (train-mlp) instead of training one.")
    String mlpModel;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "runs/faithfulness", description = "Models and saliency runs (default ${DEFAULT-VALUE}).")
    String work;

    @Option(names = "--limit", defaultValue = "0", description = "Only the first N test examples (0 = all, default).")
    int limit;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random maps, tie-breaking and ROAD's noise (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]", description = "Spark master (default ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--out", paramLabel = "FILE", description = "Result file (default bench/results/saliency-faithfulness-<dataset>.json).")
    Path out;

    @Override
    public Integer call() throws Exception {
        ConfigException.require(limit >= 0, "--limit", limit, "must be >= 0");
        String data = Path.of(dataDir, dataset).toString();
        ConfigException.require(Files.isDirectory(Path.of(data)), "--dataset", dataset, "no data at " + data + " (run bin/setup)");
        Path dir = Path.of(work, dataset);
        Files.createDirectories(dir);
        String ff = ffModel != null ? ffModel : train(dir.resolve("ff"), "train", "--local");
        String mlp = mlpModel != null ? mlpModel : train(dir.resolve("mlp"), "train-mlp", "--master", master);
        Path file = out != null ? out : Path.of("bench/results/saliency-faithfulness-" + dataset + ".json");
        String suffix = limit > 0 ? "-" + limit : "";
        try (SparkSession spark = Sessions.open("bench-faithfulness", master)) {
            Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
            FaithfulnessTable.Run ffRun = saliency(spark, storage, ff, dir.resolve("ff-saliency" + suffix), data);
            FaithfulnessTable.Run mlpRun = saliency(spark, storage, mlp, dir.resolve("mlp-saliency" + suffix), data);
            BenchRecords.write(file, new BenchRecords.FaithfulnessBench(BuildInfo.gitCommit(), BuildInfo.openblasCoretype(),
                    dataset, SaliencyTarget.PREDICTED.name(), seed, limit, ff, ffRun, mlp, mlpRun));
        }
        System.out.println("bench-faithfulness: results written to " + file);
        return Main.OK;
    }

    /** Trains a model into {@code model} with {@code command} unless it is already there. */
    private String train(Path model, String command, String... extra) {
        if (Files.exists(model.resolve("manifest.json"))) {
            System.out.println("bench-faithfulness: reusing " + model);
            return model.toString();
        }
        List<String> args = new java.util.ArrayList<>(List.of(command, "--config", config, "--data", Path.of(dataDir, dataset).toString(),
                "--model", model.toString(), "--overwrite"));
        args.addAll(List.of(extra));
        System.out.println("bench-faithfulness: ffspark " + String.join(" ", args));
        int code = Main.run(args.toArray(new String[0]));
        if (code != Main.OK) {
            throw new IllegalStateException("ffspark " + command + " failed with exit code " + code + " (message above)");
        }
        return model.toString();
    }

    /** The saliency run of {@code model} at {@code at} (every method, ROAD curves), computed unless kept from before. */
    private FaithfulnessTable.Run saliency(SparkSession spark, Storage storage, String model, Path at, String data) {
        if (!Files.exists(at) || !keptFor(spark, storage, model, at)) {
            System.out.println("bench-faithfulness: saliency of " + model + " -> " + at);
            long t0 = System.nanoTime();
            long rows = SaliencyJob.run(spark, storage, new SaliencyJob.Options(model, data, Split.TEST, at.toString(),
                    new SaliencySpec(List.of(), SaliencyTarget.PREDICTED, seed, SaliencySpec.DEFAULT_PATCH, SaliencySpec.DEFAULT_STRIDE, true),
                    limit, true, MlpSaliency.Explained.LOGIT));
            System.out.printf("bench-faithfulness: %d maps in %.0f s%n", rows, (System.nanoTime() - t0) / 1e9);
        } else {
            System.out.println("bench-faithfulness: reusing " + at);
        }
        return FaithfulnessTable.of(spark, at.toString());
    }

    /** Whether the kept run at {@code at} explains this very model (same parameters) with ROAD curves. */
    private static boolean keptFor(SparkSession spark, Storage storage, String model, Path at) {
        List<String> versions = spark.read().parquet(at.toString()).select("model_version").distinct()
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        return versions.equals(List.of(org.ffspark.job.SaliencyJob.modelVersion(storage, model)))
                && spark.read().parquet(at.toString()).filter("road_deletion_area IS NULL").isEmpty();
    }
}

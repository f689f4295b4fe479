package org.ffspark.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.ffspark.config.ConfigKeys;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.Json;
import org.ffspark.io.MetricsLines;
import org.ffspark.io.RunSettings;
import org.ffspark.io.Storage;
import org.ffspark.job.TrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import org.ffspark.io.ModelStore;
import org.ffspark.io.DataFetcher;
import org.ffspark.config.ConfigException;

/**
 * {@code ffspark bench-accuracy}: trains a recipe on a data set for several seeds with the Spark trainer (test
 * accuracy after every epoch) and writes their curves and the mean, min and max of the final test accuracy.
 * Resumable: a finished seed is reused, an interrupted one continues from its checkpoint (one per epoch).
 */
@Command(name = "bench-accuracy", mixinStandardHelpOptions = true,
        description = {"Accuracy benchmark: train a recipe (a configuration file) on a data set for --seeds seeds, each",
                "with the test accuracy after every epoch; write the curves, wall times and the mean, min and max to --out.",
                "Runs are kept under --runs; a finished seed is reused and an interrupted one resumes from its last epoch."})
final class BenchAccuracyCommand implements Callable<Integer> {
    @Option(names = "--recipe", paramLabel = "FILE", required = true, description = "Recipe: a configuration file, e.g. conf/recipes/mnist.properties.")
    Path recipe;

    @Option(names = "--dataset", paramLabel = "NAME", required = true, description = "mnist or fashion-mnist (read from <data-dir>/<name>).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data", description = "Data directory (default ${DEFAULT-VALUE}).")
    String dataDir;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3", description = "Seeds S, S+1, ... (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--first-seed", paramLabel = "S", description = "The first seed S (default: the recipe's train.seed).")
    Long firstSeed;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "1",
            description = {"Spark partitions on local[P] (default ${DEFAULT-VALUE}: one partition on local[2] with spark.task.cpus=2, its engine on two threads, bit-identical to the single JVM).",
                    "With P > 1 the recipe's train.batch-size is shared (each partition trains on batch/P examples per step) unless the recipe sets dist.split-batch = false; averaging as the recipe's dist.* keys say."})
    int partitions;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs/accuracy", description = "Where the seeds' runs are kept (default ${DEFAULT-VALUE}).")
    String runs;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = {"Seeds trained at once (default ${DEFAULT-VALUE}), each on one engine thread, with one partition each (--partitions 1):",
                    "the same results as one after the other (one and two engine threads are bit-identical), more examples per second",
                    "on two cores, longer wall time per seed (recorded as parallelSeeds)."})
    int parallel;

    @Option(names = "--out", paramLabel = "FILE", description = "Result file (default bench/results/accuracy-<recipe>-<dataset>[-p<P>].json).")
    Path out;

    @Override
    public Integer call() {
        ConfigException.require(seeds >= 1, "--seeds", seeds, "must be >= 1");
        ConfigException.require(partitions >= 1, "--partitions", partitions, "must be >= 1");
        DataFetcher.Dataset.of(dataset);
        TrainFfConfig base = sharedBatch(TrainFfConfig.load(recipe, List.of()));
        String name = recipe.getFileName().toString().replaceFirst("\\.properties$", "") + "-" + dataset
                + (partitions > 1 ? "-p" + partitions : "");
        Path result = out != null ? out : Path.of("bench", "results", "accuracy-" + name + ".json");
        String data = Path.of(dataDir, dataset).toString();
        ConfigException.require(parallel >= 1 && (parallel == 1 || partitions == 1), "--parallel", parallel,
                "must be >= 1, and 1 with --partitions > 1");
        int atOnce = Math.min(parallel, seeds);
        long first = firstSeed != null ? firstSeed : base.train().seed();
        BenchRecords.AccuracySeed[] done = new BenchRecords.AccuracySeed[seeds];
        // One partition: one task holding both cores, so its engine runs two threads (the same bits as one); seeds
        // at once: one core per task.
        try (SparkSession spark = partitions > 1 ? Sessions.open("bench-accuracy", "local[" + partitions + "]")
                : atOnce > 1 ? Sessions.open("bench-accuracy", "local[" + atOnce + "]")
                : Sessions.open("bench-accuracy", "local[2]", java.util.Map.of("spark.task.cpus", "2"))) {
            Storage storage = new Storage(spark.sparkContext().hadoopConfiguration());
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(atOnce);
            try {
                List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < seeds; i++) {
                    int index = i;
                    futures.add(pool.submit(() -> {
                        done[index] = seed(spark, storage, base, name, data, first + index, atOnce > 1);
                    }));
                }
                for (java.util.concurrent.Future<?> f : futures) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("bench-accuracy interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        BenchRecords.Accuracy a = BenchRecords.Accuracy.of(BuildInfo.gitCommit(), BuildInfo.openblasCoretype(), recipe.toString(),
                dataset, partitions, atOnce, base.toMap(), List.of(done));
        BenchRecords.write(result, a);
        System.out.printf(Locale.ROOT, "bench-accuracy %s: mean %.2f%% (min %.2f%%, max %.2f%%) over %d seeds; written to %s%n",
                name, 100 * a.meanTestAccuracy(), 100 * a.minTestAccuracy(), 100 * a.maxTestAccuracy(), seeds, result);
        return Main.OK;
    }

    /** Trains (or resumes, or reuses) one seed's run and returns its result. */
    private BenchRecords.AccuracySeed seed(SparkSession spark, Storage storage, TrainFfConfig base, String name, String data,
                                           long seed, boolean tagged) {
        TrainFfConfig cfg = oneRoundPerEpoch(base.with(ConfigKeys.SEED, Long.toString(seed)));
        String model = Path.of(runs, name, "seed-" + seed).toString();
        Path metrics = Path.of(model, "metrics.jsonl");
        Double wall = null;
        if (Files.exists(metrics)) {
            java.util.Map<String, String> trained = ModelStore.read(storage, model).manifest().hyperParameters();
            // Keys added since that run was trained count at their defaults, as on a resume.
            if (!RunSettings.currentNames(trained, cfg.modelMap().keySet()).equals(new java.util.TreeMap<>(cfg.modelMap()))) {
                throw new ConfigException("--runs: " + model + " was trained with other settings than "
                        + recipe + " (seed " + seed + "); remove it, or keep results apart with another --runs");
            }
        } else {
            boolean resume = Files.isDirectory(Path.of(model + ".run"));
            System.out.printf(Locale.ROOT, "bench-accuracy %s seed %d: %s%n", name, seed, resume ? "resuming" : "training");
            long t0 = System.nanoTime();
            String prefix = tagged ? "seed " + seed + ": " : "";
            TrainJob.run(spark, storage, cfg, new TrainJob.Options(data, model, null, partitions, resume, false, null, true, false),
                    (r, s) -> TrainCommand.printRound(prefix, r), w -> System.err.println("bench-accuracy: warning: " + w));
            wall = resume ? null : (System.nanoTime() - t0) / 1e9;
        }
        BenchRecords.AccuracySeed r = seedResult(seed, metrics, wall);
        System.out.printf(Locale.ROOT, "bench-accuracy %s seed %d: test accuracy %.2f%% (best %.2f%% at epoch %d), %.0f s training%n",
                name, seed, 100 * r.testAccuracy(), 100 * r.bestAccuracy(), r.bestEpoch(), r.trainingSeconds());
        return r;
    }

    /**
     * With {@code dist.split-batch = true} (the default) the recipe's batch is the global one: with P partitions each
     * trains on batch/P examples per step, so a round of the averaged workers moves the parameters about as far as the
     * single JVM's steps on the same examples; P must divide the batch. A recipe that sets it to false keeps its batch
     * in every partition (for a rate that small batches make too noisy).
     */
    private TrainFfConfig sharedBatch(TrainFfConfig cfg) {
        int batch = cfg.train().batchSize();
        if (partitions == 1) {
            return cfg;
        }
        if (!cfg.dist().splitBatch()) {
            System.out.printf(Locale.ROOT, "bench-accuracy: dist.split-batch = false: each of %d partitions trains on the recipe's batch of %d%n",
                    partitions, batch);
            return cfg;
        }
        ConfigException.require(batch % partitions == 0 && batch / partitions >= 1, "--partitions", partitions,
                "must divide the recipe's train.batch-size " + batch + " (each partition trains on batch/P examples per step)");
        System.out.printf(Locale.ROOT, "bench-accuracy: %d partitions share the recipe's batch of %d: %d examples per partition and step%n",
                partitions, batch, batch / partitions);
        return cfg;
    }

    /**
     * With one partition, averaging is the identity: one round per epoch (rounds never span epochs) and a checkpoint
     * after each cost least and give the single JVM's result.
     */
    private TrainFfConfig oneRoundPerEpoch(TrainFfConfig cfg) {
        return partitions > 1 ? cfg : cfg.with(ConfigKeys.AVERAGING_PERIOD, "1000000").with(ConfigKeys.CHECKPOINT_EVERY, "1");
    }

    /** A finished seed's result from its metrics.jsonl (lines with testAccuracy end an epoch). */
    private static BenchRecords.AccuracySeed seedResult(long seed, Path metrics, Double wall) {
        List<Double> curve = new ArrayList<>();
        double training = 0;
        try {
            for (String l : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
                if (l.isBlank()) {
                    continue;
                }
                MetricsLines.Round r = Json.read(l.getBytes(StandardCharsets.UTF_8), MetricsLines.Round.class, metrics.toString());
                training += r.seconds();
                if (r.testAccuracy() != null) {
                    curve.add(r.testAccuracy());
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(metrics + ": " + e.getMessage(), e);
        }
        int best = 0;
        for (int e = 1; e < curve.size(); e++) {
            if (curve.get(e) > curve.get(best)) {
                best = e;
            }
        }
        return new BenchRecords.AccuracySeed(seed, curve.get(curve.size() - 1), curve.get(best), best + 1, curve, training, wall);
    }
}

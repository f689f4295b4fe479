package org.ffspark.job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ffspark.config.ConfigException;
import org.ffspark.config.ConfigKeys;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfTrainer;
import org.ffspark.ff.TrainState;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.CheckpointStore;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.ImagesMeta;
import org.ffspark.io.Json;
import org.ffspark.io.MetricsLines;
import org.ffspark.io.RunRecord;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.train.Shards;
import org.ffspark.train.SparkFfTrainer;

/**
 * The distributed training job: shard the training data (IDX directory or ingest Parquet) into partitions, run
 * averaging rounds ({@link SparkFfTrainer}), write per-round metrics ({@code metrics.jsonl}, schema
 * {@code data-schemas/train-rounds.schema.json}) and checkpoints to the run directory, and finally the model
 * directory with {@code run.json} (schema {@code data-schemas/run.schema.json}) beside its manifest.
 */
public final class TrainJob {
    /** Job options; {@code partitions} 0 means the cluster's default parallelism. */
    public record Options(String data, String model, String runDir, int partitions, boolean resume, boolean overwrite,
                          String initModel, boolean testEachEpoch, boolean allowConfigChange) {}

    private TrainJob() {}

    public static FfModel run(SparkSession spark, Storage storage, TrainFfConfig cfg, Options opt,
                              SparkFfTrainer.RoundListener progress, Consumer<String> warn) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String runId = RunIds.next();
        String runDir = opt.runDir() != null ? opt.runDir() : opt.model() + ".run";
        Path modelPath = storage.path(opt.model());
        if (storage.exists(modelPath) && !opt.overwrite()) {
            throw new ConfigException(modelPath + ": output already exists; pass --overwrite to replace it");
        }
        CheckpointStore checkpoints = new CheckpointStore(storage, runDir);
        Path runPath = storage.path(runDir);
        if (!opt.resume() && storage.exists(runPath)) {
            if (!opt.overwrite()) {
                throw new ConfigException(runPath + ": run directory exists; pass --resume to continue that run or --overwrite to start over");
            }
            storage.delete(runPath);
        }
        int n = opt.partitions() > 0 ? opt.partitions() : jsc.defaultParallelism();
        long seed = cfg.train().seed();
        Map<String, String> checksums = new LinkedHashMap<>();
        JavaRDD<LabeledImages> shards = shards(spark, jsc, storage, opt.data(), n, seed, checksums);
        try {
            SparkFfTrainer trainer = new SparkFfTrainer(jsc, shards, cfg.ff(), cfg.train(), cfg.dist());
            FfModel init = opt.initModel() == null ? FfModel.initialise(cfg.ff(), seed) : warmStart(storage, opt.initModel(), cfg);
            TrainState state;
            int firstRound = 0;
            List<String> metrics = new ArrayList<>();
            Optional<CheckpointStore.Checkpoint> ck = opt.resume() ? checkpoints.latest(warn) : Optional.empty();
            Map<String, String> settings = settings(cfg, n, checksums);
            if (ck.isPresent()) {
                requireSameSettings(ck.get(), settings, opt.allowConfigChange(), runPath, warn);
                state = ck.get().state();
                if (state.workers() != trainer.optimizerStates()) {
                    throw new ConfigException("--optimizer-state: the checkpoint of round " + (ck.get().round() + 1) + " in "
                            + runPath + " holds " + state.workers() + " optimizer state(s), this run needs "
                            + trainer.optimizerStates() + " (" + cfg.dist().optimizerState() + ", " + n
                            + " partitions); resume with the settings of the interrupted run");
                }
                firstRound = ck.get().round() + 1;
                metrics.addAll(ck.get().metricLines());
            } else {
                try (FfTrainer t = new FfTrainer(init, cfg.train(), 1, 1)) {
                    state = TrainState.initial(init, t.optimizer());
                }
                if (trainer.optimizerStates() > 1) {
                    state = state.perWorker(trainer.optimizerStates());
                }
            }
            ModelStore.Provenance prov = new ModelStore.Provenance(cfg.modelMap(), checksums, seed, BuildInfo.gitCommit(), runId, RunIds.now());
            Path metricsPath = new Path(runPath, "metrics.jsonl");
            int every = cfg.dist().checkpointEveryRounds();
            LabeledImages test = opt.testEachEpoch() ? TestSets.load(spark, storage, opt.data(), Split.TEST) : null;
            long[] lastMetricsWrite = {System.nanoTime() - METRICS_FLUSH_NANOS};
            state = trainer.run(state, firstRound, (report, s) -> {
                int next = report.position().round() + 1;
                boolean epochEnd = next == report.rounds() || trainer.position(next).indexInEpoch() == 0;
                Double testAccuracy = test != null && epochEnd
                        ? LocalEvaluateJob.evaluate(new FfModel(cfg.ff(), s.params()), test).accuracy() : null;
                metrics.add(Json.line(roundLine(report, testAccuracy)));
                boolean last = report.position().round() == report.rounds() - 1;
                // The whole file is rewritten atomically (no append on object stores), so not after every round of a
                // long run: at epoch ends, on the last round, and otherwise at most every METRICS_FLUSH_NANOS.
                long now = System.nanoTime();
                if (epochEnd || last || now - lastMetricsWrite[0] >= METRICS_FLUSH_NANOS) {
                    writeText(storage, metricsPath, metrics, runId);
                    lastMetricsWrite[0] = now;
                }
                if (every > 0 && ((report.position().round() + 1) % every == 0 || last)) {
                    checkpoints.write(report.position().round(), s, cfg.ff(), prov, metrics, settings);
                }
                progress.roundDone(report, s);
            });
            FfModel model = new FfModel(cfg.ff(), state.params());
            model.requireFiniteParameters();
            RunRecord run = runRecord(spark, cfg, checksums, seed, runId, n, opt, trainer.totalRounds());
            try (AtomicOutput out = AtomicOutput.begin(storage, modelPath, runId, opt.overwrite())) {
                ModelStore.writeInto(storage, model, prov, out.dir());
                storage.writeAll(new Path(out.dir(), "run.json"), Json.bytes(run));
                storage.writeAll(new Path(out.dir(), "metrics.jsonl"), String.join("\n", metrics).concat("\n").getBytes(StandardCharsets.UTF_8));
                out.commit();
            }
            storage.writeAtomically(new Path(runPath, "run.json"), Json.bytes(run), runId);
            return model;
        } finally {
            shards.unpersist(false);
        }
    }

    /** What decides a run's result besides its state; recorded in every checkpoint and compared on resume. */
    static Map<String, String> settings(TrainFfConfig cfg, int partitions, Map<String, String> checksums) {
        Map<String, String> m = new java.util.TreeMap<>(cfg.toMap());
        m.remove(ConfigKeys.CHECKPOINT_EVERY.name());  // the cadence does not change the result
        m.put("spark.partitions", Integer.toString(partitions));
        checksums.forEach((k, v) -> m.put("data." + k, v));
        return m;
    }

    /** Longest time between rewrites of the run directory's metrics.jsonl within an epoch. */
    static final long METRICS_FLUSH_NANOS = 10_000_000_000L;

    /**
     * An older checkpoint's settings under today's key names (keys that were renamed are recorded under their former
     * names), with the declared default for a key it does not record: keys are added with defaults that keep earlier
     * runs unchanged.
     */
    static Map<String, String> currentNames(Map<String, String> recorded, java.util.Set<String> now) {
        Map<String, String> m = new java.util.TreeMap<>();
        recorded.forEach((k, v) -> {
            org.ffspark.config.Param<?> p = ConfigKeys.byNameOrFormer(k);
            m.put(p == null ? k : p.name(), v);
        });
        for (String k : now) {
            org.ffspark.config.Param<?> p = ConfigKeys.byNameOrFormer(k);
            if (!m.containsKey(k) && p != null) {
                m.put(k, formatDefault(p));
            }
        }
        return m;
    }

    private static <T> String formatDefault(org.ffspark.config.Param<T> p) {
        return p.format(p.defaultTyped());
    }

    /**
     * A resumed run must continue with the settings it was started with, or it would not end where the uninterrupted
     * run ends; {@code allow} (--allow-config-change) turns the refusal into a warning.
     */
    static void requireSameSettings(CheckpointStore.Checkpoint ck, Map<String, String> now, boolean allow, Path runPath,
                                    Consumer<String> warn) {
        if (ck.settings().isEmpty()) {
            warn.accept(runPath + ": the checkpoint of round " + (ck.round() + 1) + " does not record its settings; not checked");
            return;
        }
        Map<String, String> was = currentNames(ck.settings(), now.keySet());
        java.util.Set<String> keys = new java.util.TreeSet<>(was.keySet());
        keys.addAll(now.keySet());
        List<String> diffs = new ArrayList<>();
        for (String k : keys) {
            String before = was.get(k);
            String is = now.get(k);
            if (!java.util.Objects.equals(before, is)) {
                diffs.add(k + " " + before + " -> " + is);
            }
        }
        if (diffs.isEmpty()) {
            return;
        }
        String msg = "the run in " + runPath + " was started with other settings (" + String.join(", ", diffs) + ")";
        if (!allow) {
            throw new ConfigException("--resume: " + msg + "; resume with the same settings, or pass --allow-config-change"
                    + " to continue anyway (the result then differs from an uninterrupted run)");
        }
        warn.accept(msg + "; continuing with the new ones (--allow-config-change)");
    }

    /** The parameters of an existing model as the starting point; its architecture must be the configured one. */
    static FfModel warmStart(Storage storage, String modelDir, TrainFfConfig cfg) {
        FfModel m = ModelStore.read(storage, modelDir).model();
        if (!m.config().equals(cfg.ff())) {
            throw new ConfigException("ff.*: the configured network " + cfg.ff() + " differs from the warm-start model "
                    + modelDir + " (" + m.config() + "); train from scratch or use that model's ff settings");
        }
        return m;
    }

    static JavaRDD<LabeledImages> shards(SparkSession spark, JavaSparkContext jsc, Storage storage, String data, int n,
                                         long seed, Map<String, String> checksums) {
        if (ImagesMeta.isIngested(storage, data)) {
            ImagesMeta.read(storage, data).checksums().forEach((k, v) -> {
                if (k.startsWith("train")) {
                    checksums.put(k, v);
                }
            });
            return Shards.fromParquet(spark, data, n, seed);
        }
        IdxDataset.Loaded train = IdxDataset.read(storage, data, Split.TRAIN);
        checksums.putAll(train.checksums());
        return Shards.fromImages(jsc, train.images(), n, seed);
    }

    static MetricsLines.Round roundLine(SparkFfTrainer.RoundReport r, Double testAccuracy) {
        return new MetricsLines.Round(r.position().round() + 1, r.rounds(), r.position().phase(), r.position().epoch() + 1,
                r.examples(), r.seconds(), r.computeSeconds(), r.broadcastSeconds(), r.aggregateSeconds(),
                r.examples() / r.seconds(), MetricsLines.Layer.of(r.stats()), testAccuracy);
    }

    static RunRecord runRecord(SparkSession spark, TrainFfConfig cfg, Map<String, String> checksums, long seed, String runId,
                               int partitions, Options opt, int rounds) {
        RunRecord.Spark s = new RunRecord.Spark(spark.sparkContext().master(), spark.version(), partitions,
                cfg.dist().averagingPeriodBatches(), cfg.dist().optimizerState().name(), cfg.dist().blockMomentum(),
                cfg.dist().blockLearningRate(), rounds, cfg.dist().checkpointEveryRounds(), opt.resume());
        return new RunRecord(RunRecord.FORMAT, RunRecord.VERSION, runId, RunIds.now(), BuildInfo.gitCommit(), seed, cfg.toMap(),
                checksums, opt.data(), opt.initModel(), s, System.getProperty("java.version"));
    }

    private static void writeText(Storage storage, Path file, List<String> lines, String runId) {
        storage.writeAtomically(file, String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8), runId);
    }
}

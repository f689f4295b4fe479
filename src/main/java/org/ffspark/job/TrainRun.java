package org.ffspark.job;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ffspark.config.ConfigException;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.TrainState;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.CheckpointStore;
import org.ffspark.io.MetricsFile;
import org.ffspark.io.MetricsLines;
import org.ffspark.io.ModelStore;
import org.ffspark.io.RunSettings;
import org.ffspark.io.Storage;
import org.ffspark.report.Evaluation;
import org.ffspark.train.SparkFfTrainer;

/**
 * The averaging rounds of one distributed run over given shards, shared by {@code train} and the Spark ML
 * {@code FfClassifier}: the initial or resumed state, per-round metrics ({@code metrics.jsonl}) and checkpoints in a
 * run directory (none without one), with the resume policy of {@link RunSettings}.
 */
public final class TrainRun {
    /** Where a run keeps its state; {@code runDir} null means no checkpoints and no metrics file. */
    public record Where(String runDir, boolean resume, boolean allowConfigChange) {}

    /** The trained state, the provenance of the model it makes, the metric lines, the number of rounds and their length. */
    public record Result(TrainState state, ModelStore.Provenance provenance, MetricsFile metrics, int rounds, int periodBatches) {}

    private TrainRun() {}

    public static Result run(SparkSession spark, Storage storage, TrainFfConfig cfg, JavaRDD<LabeledImages> shards,
                             Map<String, String> checksums, FfModel init, Where where, LabeledImages test, String runId,
                             SparkFfTrainer.RoundListener progress, Consumer<String> warn) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int n = shards.getNumPartitions();
        SparkFfTrainer trainer = new SparkFfTrainer(jsc, shards, cfg.ff(), cfg.train(), cfg.dist());
        CheckpointStore checkpoints = where.runDir() == null ? null : new CheckpointStore(storage, where.runDir());
        Path runPath = where.runDir() == null ? null : storage.path(where.runDir());
        Optional<CheckpointStore.Checkpoint> ck = where.resume() && checkpoints != null ? checkpoints.latest(warn) : Optional.empty();
        Map<String, String> settings = RunSettings.of(cfg, n, checksums);
        TrainState state = trainer.initialState(init);
        int firstRound = 0;
        if (ck.isPresent()) {
            RunSettings.requireSame(ck.get(), settings, where.allowConfigChange(), runPath, warn);
            state = ck.get().state();
            if (state.workers() != trainer.optimizerStates()) {
                throw new ConfigException("--optimizer-state: the checkpoint of round " + (ck.get().round() + 1) + " in "
                        + runPath + " holds " + state.workers() + " optimizer state(s), this run needs "
                        + trainer.optimizerStates() + " (" + cfg.dist().optimizerState() + ", " + n
                        + " partitions); resume with the settings of the interrupted run");
            }
            firstRound = ck.get().round() + 1;
        }
        ModelStore.Provenance prov = new ModelStore.Provenance(cfg.modelMap(), checksums, cfg.train().seed(), BuildInfo.gitCommit(),
                runId, RunIds.now());
        MetricsFile metrics = new MetricsFile(storage, runPath == null ? null : new Path(runPath, CheckpointStore.METRICS), runId,
                ck.map(CheckpointStore.Checkpoint::metricLines).orElse(List.of()));
        CheckpointStore.Retention retention = CheckpointStore.Retention.of(cfg.dist());
        if (checkpoints != null) {
            int total = trainer.totalRounds();
            trainer.fullStateAt(r -> retention.due(r, r == total - 1)).workerStateDir(new Path(runPath, "worker-state").toString());
        }
        state = trainer.run(state, firstRound, (report, s) -> {
            int next = report.position().round() + 1;
            boolean epochEnd = next == report.rounds() || trainer.position(next).indexInEpoch() == 0;
            Double testAccuracy = test != null && epochEnd ? Evaluation.ofFf(new FfModel(cfg.ff(), s.params()), test).accuracy() : null;
            boolean last = report.position().round() == report.rounds() - 1;
            boolean checkpoint = checkpoints != null && retention.due(report.position().round(), last);
            metrics.add(roundLine(report, testAccuracy), epochEnd || last || checkpoint);  // before the checkpoint counts them
            if (checkpoint) {
                checkpoints.write(report.position().round(), s, cfg.ff(), prov, metrics.lines().size(), settings, retention);
            }
            progress.roundDone(report, s);
        });
        return new Result(state, prov, metrics, trainer.totalRounds(), trainer.averagingPeriodBatches());
    }

    static MetricsLines.Round roundLine(SparkFfTrainer.RoundReport r, Double testAccuracy) {
        return new MetricsLines.Round(r.position().round() + 1, r.rounds(), r.position().phase(), r.position().epoch() + 1,
                r.examples(), r.seconds(), r.computeSeconds(), r.broadcastSeconds(), r.aggregateSeconds(),
                r.examples() / r.seconds(), MetricsLines.Layer.of(r.stats()), testAccuracy);
    }
}

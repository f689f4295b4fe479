package org.ffspark.job;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Consumer;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ffspark.config.ConfigException;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.Split;
import org.ffspark.io.ImagesMeta;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.ModelStore;
import org.ffspark.io.RunLock;
import org.ffspark.io.Storage;
import org.ffspark.registry.ModelRegistry;
import org.ffspark.registry.RegistryRecord;
import org.ffspark.io.ModelManifest;
import org.ffspark.registry.Promotion;
import org.ffspark.saliency.SaliencyMethod;
import org.ffspark.train.SparkFfTrainer;
import org.ffspark.saliency.SaliencyTarget;

/**
 * Scheduled retraining against a {@link ModelRegistry}: under the registry's lock, train a new version (warm
 * start from the champion unless {@code fresh}) on the given data, evaluate it and the champion on the same
 * test split, register it, promote it by {@link Promotion}'s rule, and for a new champion regenerate the
 * saliency maps and report. The registry file changes once, atomically, at the end (after the report), so a
 * retrain that crashes or is killed leaves the registry and the champion exactly as they were.
 */
public final class RetrainJob {
    /** What to retrain on and how. {@code saliencyData} null: {@code data} (which must then be IDX). */
    public record Options(String registry, String data, String saliencyData, boolean fresh, double tolerance,
                          int partitions, int reportLimit, List<SaliencyMethod> reportMethods,
                          Duration lockStaleAfter) {}

    /** The outcome; {@code report} is null unless promoted. */
    public record Result(String version, boolean promoted, String reason, double accuracy, OptionalDouble championAccuracy,
                         String report) {}

    private RetrainJob() {}

    public static Result run(SparkSession spark, Storage storage, TrainFfConfig cfg, Options opt,
                             SparkFfTrainer.RoundListener progress, Consumer<String> log) {
        ConfigException.require(opt.tolerance() >= 0 && opt.tolerance() < 1, "--tolerance", opt.tolerance(),
                "must be in [0, 1) (a fraction: 0.005 = half a percentage point)");
        ConfigException.require(opt.reportLimit() >= 0, "--report-limit", opt.reportLimit(), "must be >= 0 (0 = whole test set)");
        ConfigException.require(!opt.reportMethods().isEmpty(), "--report-methods", "", "give at least one method");
        String saliencyData = opt.saliencyData() != null ? opt.saliencyData() : opt.data();
        if (ImagesMeta.isIngested(storage, saliencyData)) {
            throw new ConfigException("--saliency-data: " + saliencyData + " is a Parquet data set; the saliency report reads the IDX files (give their directory)");
        }
        IdxDataset.read(storage, saliencyData, Split.TEST);  // fail now, not after training
        String runId = RunIds.next();
        long t0 = System.nanoTime();
        ModelRegistry registry = ModelRegistry.open(storage, opt.registry());
        try (RunLock lock = RunLock.acquire(storage, registry.lockFile(), runId, opt.lockStaleAfter(), log)) {
            registry = ModelRegistry.open(storage, opt.registry());  // as of now, under the lock
            RegistryRecord.Version champion = registry.champion().orElse(null);
            int number = registry.nextNumber(log);
            String version = ModelRegistry.versionId(number);
            Path dir = registry.versionDir(version);
            String model = registry.modelDir(version).toString();
            String championModel = champion == null ? null : registry.modelDir(champion.version()).toString();
            String init = opt.fresh() || champion == null ? null : championModel;
            log.accept("retrain " + version + ": " + (init == null ? "training from scratch" : "warm start from champion " + champion.version())
                    + " on " + opt.data());
            TrainJob.run(spark, storage, cfg, new TrainJob.Options(opt.data(), model, new Path(dir, "run").toString(), opt.partitions(),
                    false, false, init, false, false), progress, log);

            double accuracy = EvaluateJob.run(spark, storage, model, opt.data(), Split.TEST, null).evaluation().accuracy();
            OptionalDouble championAccuracy = OptionalDouble.empty();
            if (championModel != null) {
                String file = new Path(dir, "champion-evaluation-test.json").toString();
                championAccuracy = OptionalDouble.of(EvaluateJob.run(spark, storage, championModel, opt.data(), Split.TEST, file).evaluation().accuracy());
            }
            Promotion.Decision decision = Promotion.decide(championAccuracy, accuracy, opt.tolerance());
            log.accept("retrain " + version + ": " + (decision.promote() ? "promote" : "keep as candidate") + ": " + decision.reason());

            String report = null;
            if (decision.promote()) {
                String maps = new Path(dir, "saliency").toString();
                SaliencyJob.run(spark, storage, new SaliencyJob.Options(model, saliencyData, Split.TEST, maps, opt.reportMethods(),
                        SaliencyTarget.PREDICTED, cfg.train().seed(), opt.reportLimit(), false));
                report = new Path(dir, "report").toString();
                ReportJob.run(spark, storage, maps, saliencyData, Split.TEST, report, false);
            }
            ModelManifest manifest = ModelStore.read(storage, model).manifest();
            RegistryRecord.Version entry = entry(version, number, runId, champion, init != null, opt, cfg, manifest, accuracy, championAccuracy,
                    decision, report != null, (System.nanoTime() - t0) / 1e9);
            registry.register(entry, decision.promote(), runId);
            return new Result(version, decision.promote(), decision.reason(), accuracy, championAccuracy, report);
        }
    }

    private static RegistryRecord.Version entry(String version, int number, String runId, RegistryRecord.Version champion,
                                                boolean warm, Options opt, TrainFfConfig cfg, ModelManifest manifest,
                                                double accuracy, OptionalDouble championAccuracy,
                                                Promotion.Decision decision, boolean report, double seconds) {
        return new RegistryRecord.Version(version, number, RunIds.now(), runId, BuildInfo.gitCommit(),
                champion == null ? null : champion.version(), warm, "versions/" + version + "/model", opt.data(),
                manifest.provenance().dataChecksums(), cfg.toMap(), accuracy,
                championAccuracy.isPresent() ? championAccuracy.getAsDouble() : null, opt.tolerance(), decision.reason(),
                report ? "versions/" + version + "/report/report.html" : null, seconds, null);
    }
}

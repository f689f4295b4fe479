package org.ffspark.job;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.hadoop.fs.Path;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.ff.FfFit;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.Gemm;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.Json;
import org.ffspark.io.MetricsLines;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.report.Evaluation;

/**
 * Single-JVM FF training: reads the training split, trains with {@link FfFit}, and writes the model directory
 * (manifest, parameters, {@code metrics.jsonl} with one line per epoch; schema in {@code data-schemas/}) atomically.
 */
public final class LocalTrainJob {
    /**
     * What to train on and where to write. {@code limit} caps the training examples (0 = all);
     * {@code testEachEpoch} evaluates on the test split after every epoch (the learning curve).
     */
    public record Options(String data, String model, int limit, int threads, boolean overwrite, boolean testEachEpoch) {}

    /** Receives each epoch's report and, when asked for, the test accuracy after it (else NaN). */
    @FunctionalInterface
    public interface Progress {
        void epochDone(FfFit.EpochReport report, double testAccuracy);
    }

    private LocalTrainJob() {}

    public static FfModel run(Storage storage, TrainFfConfig cfg, Options opt, Progress progress) {
        String runId = RunIds.next();
        Path target = storage.path(opt.model());
        // Refuse an existing output before spending minutes on training.
        try (AtomicOutput out = AtomicOutput.begin(storage, target, runId, opt.overwrite())) {
            IdxDataset.Loaded train = IdxDataset.read(storage, opt.data(), Split.TRAIN);
            LabeledImages data = opt.limit() > 0 ? train.images().head(opt.limit()) : train.images();
            Gemm.init(1);
            FfModel model = FfModel.initialise(cfg.ff(), cfg.train().seed());
            LabeledImages test = opt.testEachEpoch() ? IdxDataset.read(storage, opt.data(), Split.TEST).images() : null;
            StringBuilder metrics = new StringBuilder();
            FfFit.fit(model, cfg.train(), data, opt.threads(), r -> {
                double acc = test == null ? Double.NaN : Evaluation.ofFf(model, test).accuracy();
                Gemm.init(1);
                metrics.append(Json.line(new MetricsLines.Epoch(r.phase(), r.epoch() + 1, r.epochs(), r.seconds(),
                        r.examplesPerSecond(), MetricsLines.Layer.of(r.stats()), test == null ? null : acc))).append('\n');
                progress.epochDone(r, acc);
            });
            model.requireFiniteParameters();
            Map<String, String> sums = new LinkedHashMap<>(train.checksums());
            if (opt.limit() > 0) {
                sums.put("limit", Integer.toString(data.count()));
            }
            ModelStore.Provenance prov = new ModelStore.Provenance(cfg.modelMap(), sums, cfg.train().seed(),
                    BuildInfo.gitCommit(), runId, RunIds.now());
            ModelStore.writeInto(storage, model, prov, out.dir());
            storage.writeAll(new Path(out.dir(), "metrics.jsonl"), metrics.toString().getBytes(StandardCharsets.UTF_8));
            out.commit();
            return model;
        }
    }
}

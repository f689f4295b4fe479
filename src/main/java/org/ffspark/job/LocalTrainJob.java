package org.ffspark.job;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.Path;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.ff.FfFit;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.Gemm;
import org.ffspark.ff.LayerStats;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.BuildInfo;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.Json;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;

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
                double acc = test == null ? Double.NaN : LocalEvaluateJob.evaluate(model, test).accuracy();
                Gemm.init(1);
                ObjectNode line = epochJson(r);
                if (test != null) {
                    line.put("testAccuracy", acc);
                }
                metrics.append(Json.line(line)).append('\n');
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

    static ObjectNode epochJson(FfFit.EpochReport r) {
        ObjectNode o = Json.object();
        o.put("phase", r.phase());
        o.put("epoch", r.epoch() + 1);
        o.put("epochs", r.epochs());
        o.put("seconds", r.seconds());
        o.put("examplesPerSecond", r.examplesPerSecond());
        putLayers(o, r.stats());
        return o;
    }

    /** The "layers" array of a metrics line (train-metrics and train-rounds schemas): layers that saw examples. */
    static void putLayers(ObjectNode o, LayerStats s) {
        ArrayNode layers = o.putArray("layers");
        for (int l = 0; l < s.layers(); l++) {
            if (s.examples(l) > 0) {
                ObjectNode lo = layers.addObject();
                lo.put("layer", l + 1);
                lo.put("loss", s.meanLoss(l));
                lo.put("goodnessPositive", s.meanGoodnessPositive(l));
                lo.put("goodnessNegative", s.meanGoodnessNegative(l));
            }
        }
    }
}

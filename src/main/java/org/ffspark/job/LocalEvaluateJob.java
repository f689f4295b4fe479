package org.ffspark.job;

import org.apache.hadoop.fs.Path;
import org.ffspark.baseline.MlpBaseline;
import org.ffspark.baseline.MlpStore;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfScorer;
import org.ffspark.ff.Gemm;
import org.ffspark.io.EvaluationRecord;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.report.Evaluation;

/**
 * Single-JVM evaluation: scores every example of a split for all ten labels and writes accuracy, per-class
 * accuracy and the confusion matrix as {@code evaluation-<split>.json} beside the model (or to {@code out}).
 */
public final class LocalEvaluateJob {
    private static final int CHUNK = 500;

    public record Result(Evaluation evaluation, EvaluationRecord record, String file) {}

    private LocalEvaluateJob() {}

    public static Result run(Storage storage, String modelDir, String data, Split split, String out) {
        boolean mlp = MlpStore.isMlp(storage, modelDir);
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = mlp ? MlpStore.read(storage, modelDir).net() : null;
        FfModel model = mlp ? null : ModelStore.read(storage, modelDir).model();
        LabeledImages set = IdxDataset.read(storage, data, split).images();
        long t0 = System.nanoTime();
        Evaluation e = mlp ? MlpBaseline.evaluate(net, set) : evaluate(model, set);
        double secs = (System.nanoTime() - t0) / 1e9;
        EvaluationRecord record = EvaluationRecord.of(e, modelDir, data, split.id(), secs);
        String file = out != null ? out : new Path(storage.path(modelDir), "evaluation-" + split.id() + ".json").toString();
        record.write(storage, file, RunIds.next());
        return new Result(e, record, file);
    }

    /** Confusion matrix of {@code model} on {@code set}, with 2 BLAS threads. */
    public static Evaluation evaluate(FfModel model, LabeledImages set) {
        return evaluate(model, set, 2);
    }

    /** Confusion matrix of {@code model} on {@code set}, with {@code blasThreads} BLAS threads. */
    public static Evaluation evaluate(FfModel model, LabeledImages set, int blasThreads) {
        Gemm.init(blasThreads);
        Evaluation e = new Evaluation();
        float[] images = new float[CHUNK * LabeledImages.PIXELS];
        float[] scores = new float[CHUNK * FfScorer.LABELS];
        try (FfScorer scorer = new FfScorer(model, 100)) {
            for (int from = 0; from < set.count(); from += CHUNK) {
                int n = Math.min(CHUNK, set.count() - from);
                for (int i = 0; i < n; i++) {
                    set.copyPixels(from + i, images, i * LabeledImages.PIXELS);
                }
                scorer.score(images, 0, n, scores);
                for (int i = 0; i < n; i++) {
                    e.add(set.label(from + i), FfScorer.argmax(scores, i));
                }
            }
        }
        return e;
    }
}

package org.ffspark.job;

import org.apache.hadoop.fs.Path;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.EvaluationRecord;
import org.ffspark.io.IdxDataset;
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
        ModelHandle model = ModelHandle.load(storage, modelDir);
        LabeledImages set = IdxDataset.read(storage, data, split).images();
        long t0 = System.nanoTime();
        Evaluation e = model.evaluate(set);
        double secs = (System.nanoTime() - t0) / 1e9;
        return write(storage, e, modelDir, model.predictionRule(), data, split, out, secs);
    }

    /** Writes {@code e} to {@code out}, or to {@code evaluation-<split>.json} beside the model when {@code out} is null. */
    static Result write(Storage storage, Evaluation e, String modelDir, String predictionRule, String data, Split split, String out,
                        double secs) {
        EvaluationRecord record = EvaluationRecord.of(e, modelDir, predictionRule, data, split.id(), secs);
        String file = out != null ? out : new Path(storage.path(modelDir), "evaluation-" + split.id() + ".json").toString();
        record.write(storage, file, RunIds.next());
        return new Result(e, record, file);
    }
}

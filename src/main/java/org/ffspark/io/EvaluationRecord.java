package org.ffspark.io;

import java.util.ArrayList;
import java.util.List;

import org.ffspark.report.Evaluation;

/** An evaluation file, {@code evaluation-<split>.json} (schema {@code data-schemas/evaluation.schema.json}). */
public record EvaluationRecord(String format, int formatVersion, String model, String predictionRule, String data, String split, long examples,
                               long correct, double accuracy, List<Double> perClassAccuracy, long[][] confusion,
                               double seconds) {
    public static final String FORMAT = "ffspark-evaluation";
    public static final int VERSION = 1;

    /** The record of evaluation {@code e} of {@code model} on {@code data}'s {@code split}; null per-class accuracy for an absent class. */
    public static EvaluationRecord of(Evaluation e, String model, String predictionRule, String data, String split, double seconds) {
        List<Double> per = new ArrayList<>();
        for (int c = 0; c < Evaluation.CLASSES; c++) {
            double a = e.classAccuracy(c);
            per.add(Double.isNaN(a) ? null : a);
        }
        return new EvaluationRecord(FORMAT, VERSION, model, predictionRule, data, split, e.total(), e.correct(), e.accuracy(), per,
                e.confusion(), seconds);
    }

    /** Writes this record to {@code file}, replacing it atomically (write beside, then rename). */
    public void write(Storage storage, String file, String runId) {
        storage.writeAtomically(storage.path(file), Json.bytes(this), runId);
    }
}

package org.ffspark.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ffspark.report.Evaluation;

/**
 * Writes evaluation results as JSON (schema: {@code data-schemas/evaluation.schema.json}).
 */
public final class EvaluationWriter {
    private EvaluationWriter() {}

    public static ObjectNode toJson(Evaluation e, String model, String data, String split, double seconds) {
        ObjectNode o = Json.object();
        o.put("format", "ffspark-evaluation");
        o.put("formatVersion", 1);
        o.put("model", model);
        o.put("data", data);
        o.put("split", split);
        o.put("examples", e.total());
        o.put("correct", e.correct());
        o.put("accuracy", e.accuracy());
        ArrayNode per = o.putArray("perClassAccuracy");
        for (int c = 0; c < Evaluation.CLASSES; c++) {
            double a = e.classAccuracy(c);
            if (Double.isNaN(a)) {
                per.addNull();
            } else {
                per.add(a);
            }
        }
        ArrayNode cm = o.putArray("confusion");
        for (long[] row : e.confusion()) {
            ArrayNode r = cm.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        o.put("seconds", seconds);
        return o;
    }

    /** Writes {@code json} to {@code file}, replacing it atomically (write beside, then rename). */
    public static void write(Storage storage, ObjectNode json, String file, String runId) {
        storage.writeAtomically(storage.path(file), Json.bytes(json), runId);
    }
}

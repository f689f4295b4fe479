package org.ffspark.saliency;

/**
 * One saliency map of one example for one target label and method, with its faithfulness curves and areas (a row
 * of {@code data-schemas/saliency.avsc} without the model version and run id). {@code layerMaps}: each FF layer's
 * own occlusion map ({@code FF_OCCLUSION} only), else null. {@code roadDeletionCurve} and {@code roadInsertionCurve}:
 * the curves under ROAD's imputation baseline, null unless asked for.
 */
public record SaliencyRow(long id, int trueLabel, int predictedLabel, float[] scores, int targetLabel, float[] map,
                          float[][] layerMaps, float[] deletionCurve, float[] insertionCurve, double deletionArea,
                          double insertionArea, float[] roadDeletionCurve, float[] roadInsertionCurve,
                          SaliencyMethod method) {
    /** The row of {@code map} with curves {@code del} and {@code ins} (areas by the trapezoid rule), zero baseline only. */
    public static SaliencyRow of(long id, int truth, int pred, float[] scores, int target, float[] map, float[][] layerMaps,
                                 float[] del, float[] ins, SaliencyMethod method) {
        return of(id, truth, pred, scores, target, map, layerMaps, del, ins, null, null, method);
    }

    /** As above, with the ROAD curves (null when not computed). */
    public static SaliencyRow of(long id, int truth, int pred, float[] scores, int target, float[] map, float[][] layerMaps,
                                 float[] del, float[] ins, float[] roadDel, float[] roadIns, SaliencyMethod method) {
        return new SaliencyRow(id, truth, pred, scores, target, map, layerMaps, del, ins, Faithfulness.area(del),
                Faithfulness.area(ins), roadDel, roadIns, method);
    }

    /** Area under the ROAD deletion curve, or null. */
    public Double roadDeletionArea() {
        return roadDeletionCurve == null ? null : Faithfulness.area(roadDeletionCurve);
    }

    /** Area under the ROAD insertion curve, or null. */
    public Double roadInsertionArea() {
        return roadInsertionCurve == null ? null : Faithfulness.area(roadInsertionCurve);
    }
}

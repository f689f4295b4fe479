package org.ffspark.saliency;

/**
 * One saliency map of one example for one target label and method, with its faithfulness curves and areas (a row
 * of {@code data-schemas/saliency.avsc} without the model version and run id). {@code layerMaps}: each FF layer's
 * own occlusion map ({@code FF_OCCLUSION} only), else null.
 */
public record SaliencyRow(long id, int trueLabel, int predictedLabel, float[] scores, int targetLabel, float[] map,
                          float[][] layerMaps, float[] deletionCurve, float[] insertionCurve, double deletionArea,
                          double insertionArea, SaliencyMethod method) {
    /** The row of {@code map} with curves {@code del} and {@code ins} (areas by the trapezoid rule). */
    public static SaliencyRow of(long id, int truth, int pred, float[] scores, int target, float[] map, float[][] layerMaps,
                                 float[] del, float[] ins, SaliencyMethod method) {
        return new SaliencyRow(id, truth, pred, scores, target, map, layerMaps, del, ins, Faithfulness.area(del),
                Faithfulness.area(ins), method);
    }
}

package org.ffspark.report;

/**
 * Mean faithfulness of one saliency method over a run's maps: the areas with the half-width of their 95% interval
 * (1.96 sd / sqrt(maps)) and the mean curves, under the zero baseline and, when the run has them, ROAD's imputation
 * (else the {@code road*} fields are null).
 */
public record MethodSummary(String method, long maps, double deletionArea, double insertionArea, float[] deletionCurve,
                            float[] insertionCurve, double deletionHalfWidth, double insertionHalfWidth,
                            Double roadDeletionArea, Double roadInsertionArea, float[] roadDeletionCurve, float[] roadInsertionCurve) {
    /** Whether ROAD curves were computed. */
    public boolean hasRoad() {
        return roadDeletionCurve != null;
    }
}

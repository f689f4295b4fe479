package org.ffspark.report;

/** Mean faithfulness of one saliency method over a run's maps: the areas and the mean curves. */
public record MethodSummary(String method, long maps, double deletionArea, double insertionArea, float[] deletionCurve,
                            float[] insertionCurve) {}

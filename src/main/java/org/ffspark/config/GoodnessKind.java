package org.ffspark.config;

/** How a layer's activities become one goodness number per example (PAPER.md section 1). */
public enum GoodnessKind {
    /** Mean of squared activities: one threshold suits every layer width. */
    MEAN_SQUARES,
    /** Sum of squared activities (Hinton 2022); pair it with a threshold near the layer width. */
    SUM_SQUARES;

    /** Multiplier turning a row's sum of squares into goodness. */
    public float scale(int units) {
        return this == MEAN_SQUARES ? 1f / units : 1f;
    }
}

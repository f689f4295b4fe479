package org.ffspark.config;

/**
 * How an FF model predicts a label (its prediction rule, recorded in the model manifest).
 */
public enum ReadoutKind {
    /** Goodness: run the image once with each of the ten labels written in; the label of highest summed goodness wins. */
    NONE,
    /**
     * One-pass softmax readout: the image runs once with the neutral label (0.1 in each of the ten label pixels) and
     * a linear softmax layer on the normalised activities of the score layers gives the ten labels' logits.
     */
    SOFTMAX;

    /** Value written into each of the ten label pixels by the neutral label. */
    public static final float NEUTRAL = 0.1f;

    /** A sentence naming the rule, for manifests and reports. */
    public String predictionRule() {
        return this == NONE
                ? "goodness: argmax over the ten labels of the summed goodness of the score layers"
                : "softmax readout: one pass with the neutral label, argmax of the linear softmax layer on the score layers";
    }
}

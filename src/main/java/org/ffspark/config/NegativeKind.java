package org.ffspark.config;

/** How the wrong label of a negative example is chosen; never the true label. */
public enum NegativeKind {
    /** Uniform over the 9 wrong labels. */
    RANDOM,
    /** In proportion to the softmax of the current model's FF scores over the wrong labels (Hinton's variant). */
    HARD,
    /**
     * As HARD, with each example's scores divided by their standard deviation first, so the choice does not depend
     * on the scale of the scores (sum goodness over wide layers makes plain HARD an argmax).
     */
    HARD_SCALED
}

package org.ffspark.config;

/** How the wrong label of a negative example is chosen; never the true label. */
public enum NegativeKind {
    /** Uniform over the 9 wrong labels. */
    RANDOM,
    /** In proportion to the softmax of the current model's FF scores over the wrong labels (Hinton's variant). */
    HARD
}

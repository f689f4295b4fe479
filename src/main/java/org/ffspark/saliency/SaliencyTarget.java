package org.ffspark.saliency;

/** Which label a saliency map explains. */
public enum SaliencyTarget {
    PREDICTED, TRUE, ALL;

    /** The labels to explain for an example with prediction {@code predicted} and label {@code truth}. */
    public int[] labels(int predicted, int truth) {
        return switch (this) {
            case PREDICTED -> new int[] {predicted};
            case TRUE -> new int[] {truth};
            case ALL -> new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        };
    }
}

package org.ffspark.config;

/** Learning rate as a function of training progress. */
public enum LrSchedule {
    CONSTANT,
    /** Constant for the first half of training, then linear decay to zero over the second half (Hinton's recipe). */
    LINEAR_DECAY_SECOND_HALF,
    /** Cosine decay from the base rate to zero over the whole of training. */
    COSINE;

    /** Learning rate at {@code progress} in [0,1) of training. */
    public float at(float base, double progress) {
        if (this == COSINE) {
            return (float) (base * 0.5 * (1 + Math.cos(Math.PI * progress)));
        }
        if (this == CONSTANT || progress < 0.5) {
            return base;
        }
        return (float) (base * 2 * (1 - progress));
    }
}

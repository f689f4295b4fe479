package org.ffspark.config;

/** Length normalisation applied to each layer's input, the image included (PAPER.md section 1). */
public enum NormKind {
    /** {@code v / (||v||_2 + 1e-4)}: Hinton's form; unit-length rows. */
    L2,
    /** {@code v / (sqrt(mean_j v_j^2) + 1e-8)}: keeps activities large in wide layers (loeweX, Hinton's Matlab). */
    RMS;

    /** Row multiplier for a row of {@code width} values whose squares sum to {@code sumSquares}. */
    public float inverse(double sumSquares, int width) {
        return this == L2
                ? (float) (1.0 / (Math.sqrt(sumSquares) + 1e-4))
                : (float) (1.0 / (Math.sqrt(sumSquares / width) + 1e-8));
    }
}

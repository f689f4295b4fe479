package org.ffspark.saliency;

import org.ffspark.ff.Rng;

/**
 * ROAD's noisy linear imputation (Rong et al. 2022) on a 28x28 image: every removed pixel takes the weighted mean of
 * its in-image 8-neighbours (1/6 for edge neighbours, 1/12 for diagonal ones), removed neighbours included, which is
 * one sparse symmetric positive definite system over the removed pixels (every group of removed pixels touches a kept
 * one, since the label pixels 0..9 are never removed); then Gaussian noise of standard deviation {@link #NOISE} is
 * added to the imputed pixels. The removed pixels' own values never enter, so the imputed image carries no trace of
 * what was removed beyond its neighbourhood. Solved by conjugate gradients in float64, warm-started from the previous
 * call's solution (a deletion or insertion curve changes few pixels per step). Single-threaded; reuses its buffers.
 */
public final class NoisyLinearImputer {
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;
    /** Standard deviation of the added noise (pixel values in [0, 1]), as in ROAD. */
    public static final double NOISE = 0.01;
    /** Conjugate gradients stop when the residual's largest entry is below this (pixel units). */
    static final double TOLERANCE = 1e-7;
    private static final int[] DR = {-1, -1, -1, 0, 0, 1, 1, 1};
    private static final int[] DC = {-1, 0, 1, -1, 1, -1, 0, 1};
    private static final double[] W = {1 / 12.0, 1 / 6.0, 1 / 12.0, 1 / 6.0, 1 / 6.0, 1 / 12.0, 1 / 6.0, 1 / 12.0};

    private final double[] x = new double[PIXELS];      // the noise-free solution, kept for warm starts
    private final double[] diag = new double[PIXELS];
    private final double[] r = new double[PIXELS];
    private final double[] p = new double[PIXELS];
    private final double[] ap = new double[PIXELS];
    private final int[] unknown = new int[PIXELS];
    private final boolean[] wasRemoved = new boolean[PIXELS];
    private int iterations;

    public NoisyLinearImputer() {
        for (int i = 0; i < PIXELS; i++) {
            int row = i / SIDE;
            int col = i % SIDE;
            for (int k = 0; k < 8; k++) {
                if (inside(row + DR[k], col + DC[k])) {
                    diag[i] += W[k];
                }
            }
        }
    }

    /** Forgets the warm start (call before a new image). */
    public void reset() {
        java.util.Arrays.fill(x, 0.0);
        java.util.Arrays.fill(wasRemoved, false);
    }

    /**
     * Writes into {@code out[0..784)} the image {@code image[off..off+784)} with every pixel whose {@code removed[i]}
     * is true imputed (plus noise drawn from {@code rng}); kept pixels are copied.
     */
    public void impute(float[] image, int off, boolean[] removed, Rng rng, float[] out) {
        int n = 0;
        for (int i = 0; i < PIXELS; i++) {
            if (removed[i]) {
                unknown[n++] = i;
                if (!wasRemoved[i]) {
                    x[i] = 0.0; // a newly removed pixel starts from 0, never from its own value
                }
            } else {
                x[i] = image[off + i];
            }
        }
        System.arraycopy(removed, 0, wasRemoved, 0, PIXELS);
        solve(n, removed);
        for (int i = 0; i < PIXELS; i++) {
            out[i] = removed[i] ? (float) (x[i] + NOISE * rng.nextGaussian()) : image[off + i];
        }
    }

    /** The last call's imputation before the noise (kept pixels: their values); for tests. */
    double[] lastSolution() {
        return x.clone();
    }

    /** Conjugate-gradient iterations of the last call (for tests and tuning). */
    int lastIterations() {
        return iterations;
    }

    /** Solves diag_i x_i - sum_{removed j ~ i} w_ij x_j = sum_{kept j ~ i} w_ij x_j over the removed pixels, in x. */
    private void solve(int n, boolean[] removed) {
        iterations = 0;
        if (n == 0) {
            return;
        }
        double rr = 0;
        double worst = 0;
        for (int k = 0; k < n; k++) {
            int i = unknown[k];
            double res = -diag[i] * x[i];
            int row = i / SIDE;
            int col = i % SIDE;
            for (int d = 0; d < 8; d++) {
                int rr2 = row + DR[d];
                int cc = col + DC[d];
                if (inside(rr2, cc)) {
                    res += W[d] * x[rr2 * SIDE + cc]; // kept neighbours: data, removed ones: the current guess
                }
            }
            r[i] = res;
            p[i] = res;
            rr += res * res;
            worst = Math.max(worst, Math.abs(res));
        }
        while (worst > TOLERANCE && iterations < 4 * n) {
            double pap = 0;
            for (int k = 0; k < n; k++) {
                int i = unknown[k];
                double v = diag[i] * p[i];
                int row = i / SIDE;
                int col = i % SIDE;
                for (int d = 0; d < 8; d++) {
                    int rr2 = row + DR[d];
                    int cc = col + DC[d];
                    if (inside(rr2, cc) && removed[rr2 * SIDE + cc]) {
                        v -= W[d] * p[rr2 * SIDE + cc];
                    }
                }
                ap[i] = v;
                pap += p[i] * v;
            }
            double alpha = rr / pap;
            double next = 0;
            worst = 0;
            for (int k = 0; k < n; k++) {
                int i = unknown[k];
                x[i] += alpha * p[i];
                r[i] -= alpha * ap[i];
                next += r[i] * r[i];
                worst = Math.max(worst, Math.abs(r[i]));
            }
            double beta = next / rr;
            rr = next;
            for (int k = 0; k < n; k++) {
                int i = unknown[k];
                p[i] = r[i] + beta * p[i];
            }
            iterations++;
        }
    }

    private static boolean inside(int row, int col) {
        return row >= 0 && row < SIDE && col >= 0 && col < SIDE;
    }
}

package org.ffspark.ff;

import org.ffspark.config.NormKind;
import org.ffspark.config.ReadoutKind;

/**
 * The element-wise parts of an FF layer, fused into single passes over heap float arrays (which the JIT
 * vectorises; the GEMMs run in native memory). Package-private helpers shared by {@link FfTrainer} and
 * {@link FfScorer}. All arrays are row-major [rows, width]; every method writes only its named outputs.
 */
final class LayerMath {
    private LayerMath() {}

    /**
     * Copies {@code count} images (784 floats each) from {@code images} starting at row {@code first} into
     * {@code x}, zeroing the 10 label pixels, and writes each row's normalisation multiplier for
     * {@code x ⊕ y} into {@code inv}. The label one-hot adds exactly 1 to the sum of squares whatever the label,
     * so positive, negative and all candidate labels of one image share the same multiplier.
     */
    static void loadImages(float[] images, int first, int count, float[] x, float[] inv, NormKind norm) {
        loadImages(images, first, count, x, inv, norm, 1.0);
    }

    /** As above, for label pixels whose squares sum to {@code labelSumSquares} (the neutral label's: 10 · 0.1²). */
    static void loadImages(float[] images, int first, int count, float[] x, float[] inv, NormKind norm, double labelSumSquares) {
        final int d = 784;
        for (int r = 0; r < count; r++) {
            int src = (first + r) * d;
            int dst = r * d;
            double ss = labelSumSquares;
            for (int p = 0; p < 10; p++) {
                x[dst + p] = 0f;
            }
            for (int p = 10; p < d; p++) {
                float v = images[src + p];
                x[dst + p] = v;
                ss += v * v;
            }
            inv[r] = norm.inverse(ss, d);
        }
    }

    /**
     * First layer for labelled rows: {@code h[r] = relu((zImg[ex] + W0[label[r]]) · inv[ex] + b0)} where
     * {@code zImg = x · W0} was computed once per image (label pixels zero) and {@code ex = r % images}.
     * Writes {@code h} and each row's sum of squares into {@code sumSquares}.
     */
    static void firstLayer(float[] zImg, int images, int[] rowLabels, int rows, float[] inv,
                           float[] params, int wOff, int bOff, int n, float[] h, float[] sumSquares) {
        for (int r = 0; r < rows; r++) {
            int zi = (r % images) * n;
            int wl = wOff + rowLabels[r] * n;
            int hr = r * n;
            float s = inv[r % images];
            for (int j = 0; j < n; j++) {
                h[hr + j] = Math.max((zImg[zi + j] + params[wl + j]) * s + params[bOff + j], 0f);
            }
            sumSquares[r] = sumSquares(h, hr, n);
        }
    }

    /**
     * Sum of squares of {@code a[off, off+n)} with four interleaved partial sums (fixed order, so
     * deterministic; four chains instead of one hide the add latency).
     */
    static float sumSquares(float[] a, int off, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            float a0 = a[off + j];
            float a1 = a[off + j + 1];
            float a2 = a[off + j + 2];
            float a3 = a[off + j + 3];
            s0 += a0 * a0;
            s1 += a1 * a1;
            s2 += a2 * a2;
            s3 += a3 * a3;
        }
        for (; j < n; j++) {
            s0 += a[off + j] * a[off + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code h = relu(z + b)} in place over {@code z} ({@code h} may be {@code z}), and row sums of squares. */
    static void biasRelu(float[] z, int rows, int n, float[] params, int bOff, float[] h, float[] sumSquares) {
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            for (int j = 0; j < n; j++) {
                h[o + j] = Math.max(z[o + j] + params[bOff + j], 0f);
            }
            sumSquares[r] = sumSquares(h, o, n);
        }
    }

    /** {@code u[r] = h[r] · norm.inverse(sumSquares[r])}: the next layer's detached, normalised input. */
    static void normalise(float[] h, int rows, int n, float[] sumSquares, NormKind norm, float[] u) {
        for (int r = 0; r < rows; r++) {
            float s = norm.inverse(sumSquares[r], n);
            int o = r * n;
            for (int j = 0; j < n; j++) {
                u[o + j] = h[o + j] * s;
            }
        }
    }

    /** The neutral label's share of the first layer, {@code 0.1 · Σ_c W0[c]}, into {@code out [n]}. */
    static void neutralRow(float[] params, int w0, int n, float[] out) {
        java.util.Arrays.fill(out, 0, n, 0f);
        for (int c = 0; c < 10; c++) {
            for (int j = 0; j < n; j++) {
                out[j] += params[w0 + c * n + j];
            }
        }
        for (int j = 0; j < n; j++) {
            out[j] *= ReadoutKind.NEUTRAL;
        }
    }

    /** Numerically stable {@code log(1 + e^x)}. */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
    }
}

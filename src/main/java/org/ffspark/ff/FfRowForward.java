package org.ffspark.ff;

import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;

/**
 * Forward passes of arbitrary input rows whose first-layer pre-activations the caller builds, returning every
 * layer's goodness: the engine of the saliency maps, where each row is an image with one pixel occluded and the
 * first layer changes by a rank-one term (PAPER.md 3.1), so it needs no GEMM. Layers 2.. run as one GEMM per layer
 * over all rows. Buffers are sized for {@code maxRows}; single-threaded.
 */
public final class FfRowForward implements AutoCloseable {
    private static final int D = FfConfig.INPUT_SIZE;
    private final FfModel model;
    private final FfLayout layout;
    private final NormKind norm;
    private final GoodnessKind goodness;
    private final int maxRows;
    private final NativeWeights weights;
    private final float[] h;
    private final float[] u;
    private final float[] sumSq;
    private final NativeFloats uN;
    private final NativeFloats zN;

    public FfRowForward(FfModel model, int maxRows) {
        this.model = model;
        this.layout = model.layout();
        this.norm = model.config().norm();
        this.goodness = model.config().goodness();
        this.maxRows = maxRows;
        this.weights = new NativeWeights(model);
        int w = model.config().maxWidth();
        h = new float[maxRows * w];
        u = new float[maxRows * w];
        sumSq = new float[maxRows];
        uN = new NativeFloats((long) maxRows * w);
        zN = new NativeFloats((long) maxRows * w);
    }

    public FfModel model() {
        return model;
    }

    public int maxRows() {
        return maxRows;
    }

    /** Call after the model's parameters changed. */
    public void parametersChanged() {
        weights.syncAll();
    }

    /**
     * {@code out[j] = Σ_{i ≥ 10} image[off + i] · W0[i, j]}: the first layer's response to the image part of
     * {@code x ⊕ c}, before normalisation and bias ({@code out [n0]}).
     */
    public void imageProjection(float[] image, int off, float[] out) {
        int n = layout.out(0);
        float[] p = model.params();
        java.util.Arrays.fill(out, 0, n, 0f);
        for (int i = 10; i < D; i++) {
            float v = image[off + i];
            if (v != 0f) {
                int w = layout.weightOffset(0) + i * n;
                for (int j = 0; j < n; j++) {
                    out[j] += v * p[w + j];
                }
            }
        }
    }

    /** The normalisation multiplier of a 784-long input whose squares sum to {@code sumSquares}. */
    public float inputInverse(double sumSquares) {
        return norm.inverse(sumSquares, D);
    }

    /**
     * Runs rows whose first-layer pre-activations without bias, {@code z0 [rows, n0]}, are given, and writes
     * each layer's goodness to {@code good[r * layers + l]}. {@code z0} is overwritten.
     */
    public void goodness(float[] z0, int rows, float[] good) {
        if (rows > maxRows) {
            throw new IllegalArgumentException(rows + " rows; this forward holds " + maxRows);
        }
        final float[] p = model.params();
        final int layers = layout.layers();
        for (int l = 0; l < layers; l++) {
            int in = layout.in(l);
            int n = layout.out(l);
            float[] src;
            if (l == 0) {
                src = z0;
            } else {
                Gemm.sgemm(false, false, rows, n, in, uN, 0, in, weights.buffer(), layout.weightOffset(l), n, 0f, zN, 0, n);
                zN.get(0, h, 0, rows * n);
                src = h;
            }
            LayerMath.biasRelu(src, rows, n, p, layout.biasOffset(l), h, sumSq);
            float s = goodness.scale(n);
            for (int r = 0; r < rows; r++) {
                good[r * layers + l] = sumSq[r] * s;
            }
            if (l < layers - 1) {
                LayerMath.normalise(h, rows, n, sumSq, norm, u);
                uN.put(0, u, 0, rows * n);
            }
        }
    }

    @Override
    public void close() {
        weights.close();
        uN.close();
        zN.close();
    }
}

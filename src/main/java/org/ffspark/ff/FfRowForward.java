package org.ffspark.ff;

import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
import org.ffspark.config.ReadoutKind;

/**
 * Forward passes of arbitrary input rows whose first-layer pre-activations the caller builds, returning every
 * layer's share of a label's score (its goodness or, for a model with a softmax readout, its term
 * {@code u_l · R_l[:, c]} of label c's logit): the engine of the saliency maps, where each row is an image with one pixel occluded and the
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
     * The first layer's weights for the label part of the input, {@code out [n0]}: row c of W0 for the goodness rule
     * (label c written in), or the neutral label's {@code 0.1 · Σ_c W0[c]} for a readout model.
     */
    public void labelRow(int c, float[] out) {
        int n = layout.out(0);
        float[] p = model.params();
        int w0 = layout.weightOffset(0);
        if (!layout.hasReadout()) {
            System.arraycopy(p, w0 + c * n, out, 0, n);
            return;
        }
        LayerMath.neutralRow(p, w0, n, out);
    }

    /** The label pixels' sum of squares: 1 for a one-hot label, 10 · 0.1² for the neutral label. */
    public double labelSumSquares() {
        return layout.hasReadout() ? 10.0 * ReadoutKind.NEUTRAL * ReadoutKind.NEUTRAL : 1.0;
    }

    /**
     * Runs rows whose first-layer pre-activations without bias, {@code z0 [rows, n0]}, are given, and writes each
     * layer's share of label {@code target}'s score to {@code good[r * layers + l]}: its goodness, or for a readout
     * model {@code u_l · R_l[:, target]} (0 for layers the readout does not read; the readout's bias is left out).
     * {@code z0} is overwritten.
     */
    public void layerScores(float[] z0, int rows, int target, float[] good) {
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
            boolean readout = layout.hasReadout();
            if (!readout) {
                float s = goodness.scale(n);
                for (int r = 0; r < rows; r++) {
                    good[r * layers + l] = sumSq[r] * s;
                }
            }
            if (l < layers - 1 || readout) {
                LayerMath.normalise(h, rows, n, sumSq, norm, u);
            }
            if (readout) {
                boolean read = l >= layout.readoutFirstLayer();
                int ro = read ? layout.readoutWeightOffset(l) + target : 0;
                for (int r = 0; r < rows; r++) {
                    float share = 0f;
                    if (read) {
                        int o = r * n;
                        for (int j = 0; j < n; j++) {
                            share += u[o + j] * p[ro + j * 10];
                        }
                    }
                    good[r * layers + l] = share;
                }
            }
            if (l < layers - 1) {
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

package org.ffspark.ff;

import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
import org.ffspark.config.ReadoutKind;

/**
 * The input gradient of the FF score, {@code ∂S(x ⊕ c)/∂x_i}, for a batch of (image, label) rows at once (PAPER.md
 * 3.3, batched): the forward pass and the backward pass through the ReLUs and the length normalisations are one GEMM
 * per layer each over all rows ({@code Z = U W + b}, {@code dU = (dH ⊙ [Z > 0]) Wᵀ}), in float32 on the engine's
 * BLAS. {@code S} sums goodness over layers {@code [firstLayer, layers)}, or is label c's readout logit with the
 * neutral label for a model with a softmax readout. Label pixels get 0. Buffers sized for {@code maxRows};
 * single-threaded. ({@code org.ffspark.saliency.GoodnessGradient} is the float64 one-row reference.)
 */
public final class FfInputGradient implements AutoCloseable {
    private static final int D = FfConfig.INPUT_SIZE;
    private final FfModel model;
    private final FfLayout layout;
    private final NormKind norm;
    private final GoodnessKind goodness;
    private final int maxRows;
    private final int layers;
    private final NativeWeights weights;
    private final float[][] v;     // layer inputs (v[0] = x ⊕ c), [rows, in]
    private final float[][] z;     // pre-activations plus bias, [rows, n]
    private final float[][] ss;    // per layer and row: sum of squares of the input
    private final float[][] ssOut; // per layer and row: sum of squares of the output
    private final float[] dv;
    private final float[] du;
    private final NativeFloats aN;
    private final NativeFloats cN;

    public FfInputGradient(FfModel model, int maxRows) {
        this.model = model;
        this.layout = model.layout();
        this.norm = model.config().norm();
        this.goodness = model.config().goodness();
        this.maxRows = maxRows;
        this.layers = layout.layers();
        this.weights = new NativeWeights(model);
        int w = Math.max(D, model.config().maxWidth());
        v = new float[layers + 1][];
        z = new float[layers][];
        ss = new float[layers][maxRows];
        ssOut = new float[layers][maxRows];
        for (int l = 0; l < layers; l++) {
            v[l] = new float[maxRows * layout.in(l)];
            z[l] = new float[maxRows * layout.out(l)];
        }
        v[layers] = new float[maxRows * layout.out(layers - 1)];
        dv = new float[maxRows * w];
        du = new float[maxRows * w];
        aN = new NativeFloats((long) maxRows * w);
        cN = new NativeFloats((long) maxRows * w);
    }

    public int maxRows() {
        return maxRows;
    }

    /**
     * Writes {@code ∂S/∂x} of row r (image at {@code images[offsets[r]..]}, label {@code labels[r]}) into
     * {@code out[r * 784 ..]} for r in {@code [0, rows)}.
     */
    public void gradients(float[] images, int[] offsets, int[] labels, int rows, int firstLayer, float[] out) {
        if (rows > maxRows) {
            throw new IllegalArgumentException(rows + " rows; this engine holds " + maxRows);
        }
        float[] p = model.params();
        boolean readout = layout.hasReadout();
        for (int r = 0; r < rows; r++) {
            int o = r * D;
            for (int i = 0; i < 10; i++) {
                v[0][o + i] = readout ? ReadoutKind.NEUTRAL : (i == labels[r] ? 1f : 0f);
            }
            System.arraycopy(images, offsets[r] + 10, v[0], o + 10, D - 10);
        }
        for (int l = 0; l < layers; l++) {
            int in = layout.in(l);
            int n = layout.out(l);
            float[] u = du; // scratch: the normalised input
            for (int r = 0; r < rows; r++) {
                int o = r * in;
                ss[l][r] = LayerMath.sumSquares(v[l], o, in);
                float inv = norm.inverse(ss[l][r], in);
                for (int i = 0; i < in; i++) {
                    u[o + i] = v[l][o + i] * inv;
                }
            }
            aN.put(0, u, 0, rows * in);
            Gemm.sgemm(false, false, rows, n, in, aN, 0, in, weights.buffer(), layout.weightOffset(l), n, 0f, cN, 0, n);
            cN.get(0, z[l], 0, rows * n);
            int b = layout.biasOffset(l);
            for (int r = 0; r < rows; r++) {
                int o = r * n;
                for (int j = 0; j < n; j++) {
                    z[l][o + j] += p[b + j];
                    v[l + 1][o + j] = Math.max(z[l][o + j], 0f);
                }
                ssOut[l][r] = LayerMath.sumSquares(v[l + 1], o, n);
            }
        }
        // Backward: dv holds ∂S/∂(output of layer l) while descending.
        java.util.Arrays.fill(dv, 0, rows * layout.out(layers - 1), 0f);
        for (int l = layers - 1; l >= 0; l--) {
            int in = layout.in(l);
            int n = layout.out(l);
            if (readout && l >= layout.readoutFirstLayer()) {
                int ro = layout.readoutWeightOffset(l);
                for (int r = 0; r < rows; r++) {
                    int o = r * n;
                    float inv = norm.inverse(ssOut[l][r], n);
                    float dInv = inverseDerivative(ssOut[l][r], n);
                    double hr = 0;
                    for (int j = 0; j < n; j++) {
                        hr += v[l + 1][o + j] * p[ro + j * 10 + labels[r]];
                    }
                    float k = (float) (2 * dInv * hr);
                    for (int j = 0; j < n; j++) {
                        dv[o + j] += inv * p[ro + j * 10 + labels[r]] + k * v[l + 1][o + j];
                    }
                }
            } else if (!readout && l >= firstLayer) {
                float sc = 2 * goodness.scale(n);
                for (int i = 0; i < rows * n; i++) {
                    dv[i] += sc * v[l + 1][i];
                }
            }
            for (int i = 0; i < rows * n; i++) {
                if (z[l][i] <= 0f) {
                    dv[i] = 0f;
                }
            }
            aN.put(0, dv, 0, rows * n);
            Gemm.sgemm(false, true, rows, in, n, aN, 0, n, weights.buffer(), layout.weightOffset(l), n, 0f, cN, 0, in);
            cN.get(0, du, 0, rows * in);
            for (int r = 0; r < rows; r++) {  // back through the input's normalisation, into dv for the layer below
                int o = r * in;
                float inv = norm.inverse(ss[l][r], in);
                float dInv = inverseDerivative(ss[l][r], in);
                double vdu = 0;
                for (int i = 0; i < in; i++) {
                    vdu += v[l][o + i] * du[o + i];
                }
                float k = (float) (2 * dInv * vdu);
                for (int i = 0; i < in; i++) {
                    dv[o + i] = inv * du[o + i] + k * v[l][o + i];
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < D; i++) {
                out[r * D + i] = i < 10 ? 0f : dv[r * D + i];
            }
        }
    }

    /** {@code d inverse / d sumSquares} of {@link NormKind#inverse} for a row of {@code width} values. */
    private float inverseDerivative(double sumSquares, int width) {
        if (norm == NormKind.L2) {
            double r = Math.sqrt(sumSquares);
            return r == 0 ? 0f : (float) (-1 / ((r + 1e-4) * (r + 1e-4)) / (2 * r));
        }
        double r = Math.sqrt(sumSquares / width);
        return r == 0 ? 0f : (float) (-1 / ((r + 1e-8) * (r + 1e-8)) / (2 * r) / width);
    }

    @Override
    public void close() {
        weights.close();
        aN.close();
        cN.close();
    }
}

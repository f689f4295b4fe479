package org.ffspark.saliency;

import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
import org.ffspark.config.ReadoutKind;
import org.ffspark.ff.FfLayout;
import org.ffspark.ff.FfModel;

/**
 * Goodness-gradient saliency (PAPER.md 3.3): {@code ∂S(x ⊕ c)/∂x_i} with {@code S} the sum of goodness over layers
 * {@code [firstLayer, layers)}, by one backward pass through the ReLUs and the length normalisations (float64,
 * one matrix-vector product per layer), and gradient × input. Label pixels get 0. Single-threaded; reuses buffers.
 */
public final class GoodnessGradient {
    private final FfModel model;
    private final FfLayout layout;
    private final double[][] v;    // layer inputs, v[0] = x ⊕ c
    private final double[][] z;    // pre-activations
    private final double[] inv;
    private final double[] ss;
    /** Per layer: the sum of squares of its output (for the readout's normalisation). */
    private final double[] ssOut;
    private final boolean readout;

    public GoodnessGradient(FfModel model) {
        this.model = model;
        this.layout = model.layout();
        int layers = layout.layers();
        v = new double[layers + 1][];
        z = new double[layers][];
        for (int l = 0; l < layers; l++) {
            v[l] = new double[layout.in(l)];
            z[l] = new double[layout.out(l)];
        }
        v[layers] = new double[layout.out(layers - 1)];
        inv = new double[layers];
        ss = new double[layers];
        ssOut = new double[layers];
        readout = layout.hasReadout();
    }

    /**
     * Writes {@code ∂S/∂x_i} into {@code grad[784]} for the image at {@code image[off..]} and label c; returns S. For a
     * model with a softmax readout, S is label c's logit with the neutral label (its bias included).
     */
    public double gradient(float[] image, int off, int c, int firstLayer, float[] grad) {
        float[] p = model.params();
        int layers = layout.layers();
        NormKind norm = model.config().norm();
        for (int i = 0; i < 784; i++) {
            v[0][i] = i < 10 ? (readout ? ReadoutKind.NEUTRAL : (i == c ? 1 : 0)) : image[off + i];
        }
        double score = 0;
        for (int l = 0; l < layers; l++) {
            int in = layout.in(l);
            int n = layout.out(l);
            double s = 0;
            for (int i = 0; i < in; i++) {
                s += v[l][i] * v[l][i];
            }
            ss[l] = s;
            inv[l] = inverse(norm, s, in);
            int w = layout.weightOffset(l);
            for (int j = 0; j < n; j++) {
                z[l][j] = p[layout.biasOffset(l) + j];
            }
            for (int i = 0; i < in; i++) {
                double ui = v[l][i] * inv[l];
                if (ui != 0) {
                    int row = w + i * n;
                    for (int j = 0; j < n; j++) {
                        z[l][j] += ui * p[row + j];
                    }
                }
            }
            double g = 0;
            for (int j = 0; j < n; j++) {
                double h = Math.max(0, z[l][j]);
                v[l + 1][j] = h;
                g += h * h;
            }
            ssOut[l] = g;
            if (readout) {
                if (l >= layout.readoutFirstLayer()) {
                    double iv = inverse(norm, g, n);
                    int ro = layout.readoutWeightOffset(l) + c;
                    for (int j = 0; j < n; j++) {
                        score += v[l + 1][j] * iv * p[ro + j * 10];
                    }
                }
            } else if (l >= firstLayer) {
                score += g * scale(n);
            }
        }
        if (readout) {
            score += p[layout.readoutBiasOffset() + c];
        }
        // Backward: dv holds ∂S/∂(output of layer l) while descending.
        double[] dv = new double[layout.out(layers - 1)];
        for (int l = layers - 1; l >= 0; l--) {
            int in = layout.in(l);
            int n = layout.out(l);
            if (readout) {
                if (l >= layout.readoutFirstLayer()) {
                    // logit term u·R[:, c] with u = n(h): back through the output's normalisation
                    double[] dr = new double[n];
                    int ro = layout.readoutWeightOffset(l) + c;
                    for (int j = 0; j < n; j++) {
                        dr[j] = p[ro + j * 10];
                    }
                    double[] dh = normalisationBackward(v[l + 1], n, ssOut[l], dr, norm);
                    for (int j = 0; j < n; j++) {
                        dv[j] += dh[j];
                    }
                }
            } else if (l >= firstLayer) {
                double sc = 2 * scale(n);
                for (int j = 0; j < n; j++) {
                    dv[j] += sc * v[l + 1][j];
                }
            }
            double[] du = new double[in];
            int w = layout.weightOffset(l);
            for (int i = 0; i < in; i++) {
                int row = w + i * n;
                double a = 0;
                for (int j = 0; j < n; j++) {
                    if (z[l][j] > 0) {
                        a += p[row + j] * dv[j];
                    }
                }
                du[i] = a;
            }
            dv = normalisationBackward(v[l], in, ss[l], du, norm);
        }
        for (int i = 0; i < 784; i++) {
            grad[i] = i < 10 ? 0f : (float) dv[i];
        }
        return score;
    }

    /**
     * Back through {@code u = v · inv(ss(v))} for a vector of length {@code len} with sum of squares {@code ss}:
     * {@code ∂/∂v = inv·du + 2·inv'(ss)·(v·du)·v}.
     */
    private static double[] normalisationBackward(double[] v, int len, double ss, double[] du, NormKind norm) {
        double vdu = 0;
        for (int i = 0; i < len; i++) {
            vdu += v[i] * du[i];
        }
        double inv = inverse(norm, ss, len);
        double r = norm == NormKind.L2 ? Math.sqrt(ss) : Math.sqrt(ss / len);
        double dInvDss = norm == NormKind.L2
                ? (r == 0 ? 0 : -1 / ((r + 1e-4) * (r + 1e-4)) / (2 * r))
                : (r == 0 ? 0 : -1 / ((r + 1e-8) * (r + 1e-8)) / (2 * r) / len);
        double[] out = new double[len];
        for (int i = 0; i < len; i++) {
            out[i] = inv * du[i] + 2 * dInvDss * vdu * v[i];
        }
        return out;
    }

    private static double inverse(NormKind norm, double ss, int len) {
        return norm == NormKind.L2 ? 1 / (Math.sqrt(ss) + 1e-4) : 1 / (Math.sqrt(ss / len) + 1e-8);
    }

    /** Gradient × input: {@code out[i] = x_i · ∂S/∂x_i}. */
    public void gradientTimesInput(float[] image, int off, int c, int firstLayer, float[] out) {
        gradient(image, off, c, firstLayer, out);
        for (int i = 0; i < 784; i++) {
            out[i] *= image[off + i];
        }
    }

    private double scale(int n) {
        return model.config().goodness() == GoodnessKind.MEAN_SQUARES ? 1.0 / n : 1.0;
    }
}

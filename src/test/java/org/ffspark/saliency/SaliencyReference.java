package org.ffspark.saliency;

import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
import org.ffspark.ff.FfLayout;
import org.ffspark.ff.FfModel;

/**
 * An independent, slow float64 FF forward pass: per-layer goodness of x ⊕ c, built explicitly, or for a model with a
 * softmax readout each layer's term of label c's logit with the neutral label.
 */
final class SaliencyReference {
    private SaliencyReference() {}

    static double[] goodness(FfModel m, double[] image, int c) {
        FfLayout layout = m.layout();
        double[] v = image.clone();
        for (int i = 0; i < 10; i++) {
            v[i] = 0;
        }
        boolean readout = layout.hasReadout();
        if (readout) {
            java.util.Arrays.fill(v, 0, 10, org.ffspark.config.ReadoutKind.NEUTRAL);
        } else {
            v[c] = 1;
        }
        double[] g = new double[layout.layers()];
        for (int l = 0; l < layout.layers(); l++) {
            double ss = 0;
            for (double x : v) {
                ss += x * x;
            }
            int in = layout.in(l);
            int n = layout.out(l);
            double inv = m.config().norm() == NormKind.L2 ? 1 / (Math.sqrt(ss) + 1e-4) : 1 / (Math.sqrt(ss / in) + 1e-8);
            double[] h = new double[n];
            for (int j = 0; j < n; j++) {
                double z = m.params()[layout.biasOffset(l) + j];
                for (int i = 0; i < in; i++) {
                    z += v[i] * inv * m.params()[layout.weightOffset(l) + i * n + j];
                }
                h[j] = Math.max(0, z);
                g[l] += h[j] * h[j];
            }
            g[l] *= m.config().goodness() == GoodnessKind.MEAN_SQUARES ? 1.0 / n : 1.0;
            if (readout) {
                double hs = 0;
                for (double x : h) {
                    hs += x * x;
                }
                double hinv = m.config().norm() == NormKind.L2 ? 1 / (Math.sqrt(hs) + 1e-4) : 1 / (Math.sqrt(hs / n) + 1e-8);
                g[l] = 0;
                if (l >= layout.readoutFirstLayer()) {
                    for (int j = 0; j < n; j++) {
                        g[l] += h[j] * hinv * m.params()[layout.readoutWeightOffset(l) + j * 10 + c];
                    }
                }
            }
            v = h;
        }
        return g;
    }

    /** Sum of the layers' shares from {@code firstLayer} on (for a readout model: the logit, its bias included). */
    static double score(FfModel m, double[] image, int c, int firstLayer) {
        double[] g = goodness(m, image, c);
        double s = m.layout().hasReadout() ? m.params()[m.layout().readoutBiasOffset() + c] : 0;
        for (int l = firstLayer; l < g.length; l++) {
            s += g[l];
        }
        return s;
    }
}

package org.ffspark.ff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
import org.ffspark.config.ScoreLayers;
import org.ffspark.config.TrainFfConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's hand-written float32 gradient of every layer-local FF loss against a central finite difference
 * of an independent float64 implementation of that loss (x ⊕ y built explicitly, no shared-image trick).
 */
class FfGradientTest {
    private static final int B = 3;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(GoodnessKind.MEAN_SQUARES, NormKind.L2, 0.5f),
                Arguments.of(GoodnessKind.MEAN_SQUARES, NormKind.L2, 2.0f),
                Arguments.of(GoodnessKind.MEAN_SQUARES, NormKind.L2, 5.0f),
                Arguments.of(GoodnessKind.SUM_SQUARES, NormKind.L2, 1.0f),
                Arguments.of(GoodnessKind.SUM_SQUARES, NormKind.L2, 6.0f),
                Arguments.of(GoodnessKind.MEAN_SQUARES, NormKind.RMS, 2.0f),
                Arguments.of(GoodnessKind.SUM_SQUARES, NormKind.RMS, 5.0f));
    }

    @ParameterizedTest(name = "{0} {1} theta={2}")
    @MethodSource("cases")
    void gradientMatchesCentralDifference(GoodnessKind goodness, NormKind norm, float theta) {
        FfConfig cfg = new FfConfig(List.of(784, 7, 5), goodness, norm, theta, ScoreLayers.ALL);
        FfLayout layout = new FfLayout(cfg);
        Rng rng = new Rng(11);
        float[] p = new float[layout.size()];
        for (int l = 0; l < layout.layers(); l++) {
            double a = Math.sqrt(6 * theta / (goodness == GoodnessKind.SUM_SQUARES ? layout.out(l) : 1)
                    / (norm == NormKind.RMS ? layout.in(l) : 1));
            for (int i = layout.start(l); i < layout.end(l); i++) {
                p[i] = (float) ((2 * rng.nextDouble() - 1) * a);
            }
        }
        float[] images = new float[B * 784];
        for (int i = 0; i < images.length; i++) {
            images[i] = rng.nextFloat() < 0.3 ? rng.nextFloat() : 0f;
        }
        int[] pos = {3, 0, 9};
        int[] neg = {7, 4, 2};
        FfModel model = new FfModel(cfg, p);
        // The batch split in two row chunks (as above FfTrainer.ONE_CHUNK_MAX examples) and as one chunk.
        float[][] analytics = new float[2][];
        for (int split = 0; split < 2; split++) {
            try (FfTrainer t = new FfTrainer(model, TrainFfConfig.load(null, List.of()).train(), B, 1, split == 0 ? 0 : B)) {
                analytics[split] = t.computeGradients(images, B, pos, neg, 0, 1, new LayerStats(2)).clone();
            }
        }
        double[] w = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            w[i] = p[i];
        }
        double eps = 1e-6;
        int checked = 0;
        double worst = 0;
        for (int l = 0; l < layout.layers(); l++) {
            for (int i = layout.start(l); i < layout.end(l); i++) {
                double keep = w[i];
                w[i] = keep + eps;
                double up = loss(l, w, layout, cfg, images, pos, neg);
                w[i] = keep - eps;
                double down = loss(l, w, layout, cfg, images, pos, neg);
                w[i] = keep;
                double numeric = (up - down) / (2 * eps);
                double tol = 2e-3 * Math.abs(numeric) + 2e-5;
                for (float[] analytic : analytics) {
                    worst = Math.max(worst, Math.abs(analytic[i] - numeric) / (Math.abs(numeric) + 1e-5));
                    assertEquals(numeric, analytic[i], tol, "layer " + (l + 1) + " parameter " + i);
                }
                checked++;
            }
        }
        assertEquals(layout.size(), checked);
        assertTrue(worst < 0.2, "worst relative error " + worst);
    }

    /** Layer {@code target}'s loss, averaged over the batch, in float64 with x ⊕ y built explicitly. */
    static double loss(int target, double[] w, FfLayout layout, FfConfig cfg, float[] images, int[] pos, int[] neg) {
        double total = 0;
        for (int ex = 0; ex < B; ex++) {
            for (int sign = 0; sign < 2; sign++) {
                double[] h = activity(target, w, layout, cfg, images, ex, oneHot(sign == 0 ? pos[ex] : neg[ex]));
                double g = 0;
                for (double x : h) {
                    g += x * x;
                }
                g *= cfg.goodness() == GoodnessKind.MEAN_SQUARES ? 1.0 / h.length : 1.0;
                double theta = cfg.threshold();
                total += sign == 0 ? softplus(theta - g) : softplus(g - theta);
            }
        }
        return total / B;
    }

    static double[] oneHot(int label) {
        double[] v = new double[10];
        v[label] = 1;
        return v;
    }

    /**
     * Layer {@code target}'s activities (after the ReLU, before normalisation) for image {@code ex} of {@code images}
     * with {@code labelPixels} written into pixels 0-9, in float64.
     */
    static double[] activity(int target, double[] w, FfLayout layout, FfConfig cfg, float[] images, int ex, double[] labelPixels) {
        double[] v = new double[784];
        for (int i = 10; i < 784; i++) {
            v[i] = images[ex * 784 + i];
        }
        System.arraycopy(labelPixels, 0, v, 0, 10);
        for (int l = 0; l <= target; l++) {
            int in = layout.in(l);
            int n = layout.out(l);
            double[] u = normalised(v, cfg.norm());
            double[] h = new double[n];
            for (int j = 0; j < n; j++) {
                double z = w[layout.biasOffset(l) + j];
                for (int i = 0; i < in; i++) {
                    z += u[i] * w[layout.weightOffset(l) + i * n + j];
                }
                h[j] = Math.max(z, 0);
            }
            v = h;
        }
        return v;
    }

    /** {@code v} scaled by the normalisation's multiplier, in float64. */
    static double[] normalised(double[] v, NormKind norm) {
        double ss = 0;
        for (double x : v) {
            ss += x * x;
        }
        double inv = norm == NormKind.L2 ? 1 / (Math.sqrt(ss) + 1e-4) : 1 / (Math.sqrt(ss / v.length) + 1e-8);
        double[] u = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = v[i] * inv;
        }
        return u;
    }

    static double softplus(double x) {
        return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
    }
}

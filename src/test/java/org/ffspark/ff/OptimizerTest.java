package org.ffspark.ff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
import org.ffspark.config.ScoreLayers;
import org.ffspark.config.TrainFfConfig;
import org.junit.jupiter.api.Test;

/** Adam and SGD-with-momentum against their textbook formulas, step by step, in float64. */
class OptimizerTest {
    private static final FfLayout LAYOUT = new FfLayout(new FfConfig(List.of(784, 1), GoodnessKind.MEAN_SQUARES, NormKind.L2, 1f, ScoreLayers.ALL));

    @Test
    void adamFollowsKingmaAndBaWithBiasCorrectionAndWeightDecay() {
        Optimizer opt = new Optimizer(TrainFfConfig.load(null, List.of("train.weight-decay=0.01")).train(), LAYOUT);
        float[] p = new float[LAYOUT.size()];
        p[0] = 0.5f;
        double w = 0.5;
        double m = 0;
        double v = 0;
        double[] grads = {0.3, -0.1, 0.7};
        for (int t = 1; t <= grads.length; t++) {
            float[] gs = new float[LAYOUT.size()];
            gs[0] = (float) grads[t - 1];
            opt.update(p, gs, 0, 1, 0, 0.03f);
            opt.countStep(0, 0);
            double g = grads[t - 1] + 0.01 * w;
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            double mh = m / (1 - Math.pow(0.9, t));
            double vh = v / (1 - Math.pow(0.999, t));
            w -= 0.03 * mh / (Math.sqrt(vh) + 1e-8);
            assertEquals(w, p[0], 1e-6, "step " + t);
        }
    }

    @Test
    void sgdWithMomentumAccumulatesVelocity() {
        Optimizer opt = new Optimizer(TrainFfConfig.load(null, List.of("train.optimizer=SGD")).train(), LAYOUT);
        float[] p = new float[LAYOUT.size()];
        p[5] = 1f;
        double w = 1;
        double vel = 0;
        double[] grads = {0.2, 0.4, -0.3};
        for (double gr : grads) {
            float[] g0 = new float[LAYOUT.size()];
            g0[5] = (float) gr;
            opt.update(p, g0, 0, LAYOUT.size(), 0, 0.1f);
            opt.countStep(0, 0);
            vel = 0.9 * vel + gr;
            w -= 0.1 * vel;
            assertEquals(w, p[5], 1e-6);
        }
        assertEquals(0f, p[6]);
    }

    @Test
    void decoupledWeightDecayIsAdamWAndTheDefaultStaysCoupled() {
        Optimizer opt = new Optimizer(TrainFfConfig.load(null, List.of("train.weight-decay=0.01",
                "train.weight-decay-mode=DECOUPLED")).train(), LAYOUT);
        float[] p = new float[LAYOUT.size()];
        p[0] = 0.5f;
        double w = 0.5;
        double m = 0;
        double v = 0;
        double[] grads = {0.3, -0.1, 0.7};
        for (int t = 1; t <= grads.length; t++) {
            float[] gs = new float[LAYOUT.size()];
            gs[0] = (float) grads[t - 1];
            opt.update(p, gs, 0, 1, 0, 0.03f);
            opt.countStep(0, 0);
            double g = grads[t - 1];  // the decay does not enter the moments
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            double mh = m / (1 - Math.pow(0.9, t));
            double vh = v / (1 - Math.pow(0.999, t));
            w = w - 0.03 * 0.01 * w - 0.03 * mh / (Math.sqrt(vh) + 1e-8);
            assertEquals(w, p[0], 1e-6, "step " + t);
        }
        assertEquals(org.ffspark.config.WeightDecayMode.L2, TrainFfConfig.load(null, List.of()).train().weightDecayMode());
    }

    @Test
    void cosineScheduleFallsFromTheRateToZeroAlongAHalfCosine() {
        org.ffspark.config.TrainConfig t = TrainFfConfig.load(null, List.of("train.learning-rate=0.1", "train.epochs=4",
                "train.lr-schedule=COSINE")).train();
        assertEquals(0.1, t.learningRateAt(0, 0, 10), 1e-7);
        assertEquals(0.05, t.learningRateAt(2, 0, 10), 1e-7);
        assertEquals(0.1 * 0.5 * (1 + Math.cos(Math.PI * 3.5 / 4)), t.learningRateAt(3, 5, 10), 1e-7);
    }
}

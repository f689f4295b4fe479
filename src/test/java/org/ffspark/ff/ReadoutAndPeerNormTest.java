package org.ffspark.ff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.ffspark.TestData;
import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
import org.ffspark.config.ReadoutKind;
import org.ffspark.config.ScoreLayers;
import org.ffspark.config.TrainConfig;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Peer normalisation's and the softmax readout's float32 gradients against central finite differences of independent
 * float64 implementations of their losses, the readout's logits against float64, and both techniques' determinism.
 */
class ReadoutAndPeerNormTest {
    private static final int B = 3;
    private static final int[] POS = {3, 0, 9};
    private static final int[] NEG = {7, 4, 2};
    private static final float LAMBDA = 0.5f;

    static float[] images(Rng rng) {
        float[] images = new float[B * 784];
        for (int i = 0; i < images.length; i++) {
            images[i] = rng.nextFloat() < 0.3 ? rng.nextFloat() : 0f;
        }
        return images;
    }

    static float[] params(FfLayout layout, Rng rng, double scale) {
        float[] p = new float[layout.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) ((2 * rng.nextDouble() - 1) * scale);
        }
        return p;
    }

    static TrainConfig train(String... settings) {
        return TrainFfConfig.load(null, List.of(settings)).train();
    }

    @ParameterizedTest
    @EnumSource(NormKind.class)
    void peerNormalisationGradientMatchesCentralDifferenceAndTheStepKeepsTheRunningMeans(NormKind norm) {
        FfConfig cfg = new FfConfig(List.of(784, 7, 5), GoodnessKind.MEAN_SQUARES, norm, 2f, ScoreLayers.ALL);
        FfLayout layout = new FfLayout(cfg);
        Rng rng = new Rng(5);
        float[] p = params(layout, rng, norm == NormKind.L2 ? 1.5 : 0.1);
        float[] images = images(rng);
        FfModel model = new FfModel(cfg, p.clone());
        float[] analytic;
        float[] withoutPeer;
        double[][] old = new double[2][];
        try (FfTrainer t = new FfTrainer(model, train("train.peer-norm=" + LAMBDA), B, 2);
             FfTrainer plain = new FfTrainer(new FfModel(cfg, p.clone()), train(), B, 2)) {
            float[] state = t.optimizer().firstMoment();
            assertEquals(layout.size() + 7 + 5, state.length, "the running means follow the moments");
            for (int l = 0; l < 2; l++) {
                int off = t.optimizer().runningMeanOffset(layout, l);
                old[l] = new double[layout.out(l)];
                for (int j = 0; j < layout.out(l); j++) {
                    state[off + j] = 0.2f + 0.15f * j;
                    old[l][j] = state[off + j];
                }
            }
            analytic = t.computeGradients(images, B, POS, NEG, 0, 1, new LayerStats(2)).clone();
            withoutPeer = plain.computeGradients(images, B, POS, NEG, 0, 1, new LayerStats(2)).clone();
            float[] oneChunk;  // the batch as one row chunk (t splits it in two)
            try (FfTrainer one = new FfTrainer(new FfModel(cfg, p.clone()), train("train.peer-norm=" + LAMBDA), B, 2, B)) {
                float[] s1 = one.optimizer().firstMoment();
                System.arraycopy(state, 0, s1, 0, state.length);
                oneChunk = one.computeGradients(images, B, POS, NEG, 0, 1, new LayerStats(2)).clone();
            }
            assertEquals(0.2f, state[t.optimizer().runningMeanOffset(layout, 1)], "computing gradients changes no state");

            double[] w = toDouble(p);
            double worstPeerShare = 0;
            for (int l = 0; l < 2; l++) {
                final int layer = l;
                for (int i = layout.start(l); i < layout.end(l); i++) {
                    double numeric = centralDifference(w, i, ww -> FfGradientTest.loss(layer, ww, layout, cfg, images, POS, NEG)
                            + peerLoss(layer, ww, layout, cfg, images, old[layer]));
                    assertEquals(numeric, analytic[i], 2e-3 * Math.abs(numeric) + 2e-5, "parameter " + i);
                    assertEquals(numeric, oneChunk[i], 2e-3 * Math.abs(numeric) + 2e-5, "one chunk: parameter " + i);
                    worstPeerShare = Math.max(worstPeerShare, Math.abs(analytic[i] - withoutPeer[i]));
                }
            }
            assertTrue(worstPeerShare > 1e-3, "the penalty changes the gradient (" + worstPeerShare + ")");

            // A step stores r = m·r + (1-m)·(the batch's mean activity on positive rows).
            t.step(images, B, POS, NEG, 0, 1, 0f, new LayerStats(2));
            for (int l = 0; l < 2; l++) {
                double[] r = running(l, w, layout, cfg, images, old[l]);
                int off = t.optimizer().runningMeanOffset(layout, l);
                for (int j = 0; j < r.length; j++) {
                    assertEquals(r[j], state[off + j], 1e-5, "layer " + l + " unit " + j);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ScoreLayers.class)
    void readoutGradientMatchesCentralDifferenceAndTheScorerGivesItsLogits(ScoreLayers read) {
        FfConfig cfg = new FfConfig(List.of(784, 7, 5, 6), GoodnessKind.SUM_SQUARES, NormKind.RMS, 5f, read, ReadoutKind.SOFTMAX);
        FfLayout layout = new FfLayout(cfg);
        assertEquals(read == ScoreLayers.ALL ? 18 : 11, layout.readoutFeatures());
        Rng rng = new Rng(9);
        float[] p = params(layout, rng, 0.3);
        float[] images = images(rng);
        FfModel model = new FfModel(cfg, p.clone());
        double[] w = toDouble(p);
        double[] loss = {0};
        float[] analytic;
        float[] oneChunk;  // the batch as one row chunk (t splits it in two)
        double[] oneLoss = {0};
        try (FfTrainer t = new FfTrainer(model, train(), B, 2); FfTrainer one = new FfTrainer(model, train(), B, 2, B)) {
            analytic = t.readoutGradient(images, B, POS, loss).clone();
            oneChunk = one.readoutGradient(images, B, POS, oneLoss).clone();
        }
        assertEquals(readoutLoss(w, layout, cfg, images), loss[0] / B, 1e-5);
        assertEquals(loss[0], oneLoss[0], 1e-6);
        for (int i = layout.readoutStart(); i < layout.size(); i++) {
            final int k = i;
            double numeric = centralDifference(w, k, ww -> readoutLoss(ww, layout, cfg, images));
            assertEquals(numeric, analytic[k], 2e-3 * Math.abs(numeric) + 2e-5, "readout parameter " + k);
            assertEquals(numeric, oneChunk[k], 2e-3 * Math.abs(numeric) + 2e-5, "one chunk: readout parameter " + k);
        }
        float[] scores = new float[B * 10];
        try (FfScorer s = new FfScorer(model, 2)) {
            s.score(images, 0, B, scores);
        }
        for (int ex = 0; ex < B; ex++) {
            double[] z = logits(w, layout, cfg, images, ex);
            for (int c = 0; c < 10; c++) {
                assertEquals(z[c], scores[ex * 10 + c], 1e-4, "image " + ex + " label " + c);
            }
        }
    }

    /**
     * A step right after the readout pass of the same batch reuses that pass's first-layer image product: one GEMM
     * of the images fewer, and the same parameters to the bit as a step that computes it again; a changed batch or
     * changed parameters in between make the step compute it.
     */
    @ParameterizedTest(name = "threads {0}, batches up to {1} in one chunk")
    @org.junit.jupiter.params.provider.CsvSource({"1, 0", "2, 0", "1, 3", "2, 3"})
    void aStepAfterTheReadoutPassReusesItsImageProductWithTheSameBits(int threads, int oneChunkMax) {
        FfConfig cfg = new FfConfig(List.of(784, 30, 20), GoodnessKind.SUM_SQUARES, NormKind.RMS, 30f, ScoreLayers.ALL, ReadoutKind.SOFTMAX);
        FfLayout layout = new FfLayout(cfg);
        float[] p = params(layout, new Rng(4), 0.1);
        float[] images = images(new Rng(6));
        TrainConfig tc = train("train.optimizer=SGD", "train.learning-rate=0.01", "train.dropout=0.1");
        long imageGemm = 2L * B * 784 * 30;
        FfModel reused = new FfModel(cfg, p.clone());
        FfModel computed = new FfModel(cfg, p.clone());
        FfModel changed = new FfModel(cfg, p.clone());
        try (FfTrainer a = new FfTrainer(reused, tc, B, threads, oneChunkMax);
             FfTrainer b = new FfTrainer(computed, tc, B, threads, oneChunkMax);
             FfTrainer c = new FfTrainer(changed, tc, B, threads, oneChunkMax)) {
            float[] mutated = images.clone();
            for (FfTrainer t : List.of(a, b, c)) {
                t.dropoutSeed(11);
                t.readoutStep(t == c ? mutated : images, B, POS, 0.01f, null);
            }
            long before = Gemm.flopsIssued();
            a.step(images, B, POS, NEG, 0, 1, 0.01f, new LayerStats(2));
            long reusedFlops = Gemm.flopsIssued() - before;
            b.parametersChanged(); // parameters replaced from outside: the product must be computed again
            before = Gemm.flopsIssued();
            b.step(images, B, POS, NEG, 0, 1, 0.01f, new LayerStats(2));
            long computedFlops = Gemm.flopsIssued() - before;
            assertEquals(imageGemm, computedFlops - reusedFlops, "one image GEMM fewer");
            assertArrayEquals(computed.params(), reused.params());
            mutated[784 + 500] += 0.25f; // the caller changed the batch in place after the readout pass
            before = Gemm.flopsIssued();
            c.step(mutated, B, POS, NEG, 0, 1, 0.01f, new LayerStats(2));
            // Two chunks (images 0-1 and 2): the changed image's chunk computes its product again, the other reuses
            // its own; one chunk computes it all again.
            assertEquals(oneChunkMax < B ? computedFlops - imageGemm / B : computedFlops, Gemm.flopsIssued() - before);
        }
    }

    @Test
    void readoutAndPeerNormalisationGiveTheSameBitsOnOneOrTwoThreadsAndLearn() {
        TrainFfConfig c = TrainFfConfig.load(null, List.of("ff.layers=784,100,100", "ff.norm=RMS", "ff.goodness=SUM_SQUARES",
                "ff.threshold=100", "ff.readout=SOFTMAX", "train.optimizer=SGD", "train.learning-rate=0.0005",
                "train.readout-lr-scale=20", "train.peer-norm=0.03", "train.negatives=HARD", "train.dropout=0.1",
                "train.epochs=2", "train.batch-size=50"));
        LabeledImages data = TestData.mnistTrain().head(2000);
        FfModel one = FfFit.fit(FfModel.initialise(c.ff(), 3), c.train(), data, 1, null);
        FfModel two = FfFit.fit(FfModel.initialise(c.ff(), 3), c.train(), data, 2, null);
        assertArrayEquals(one.params(), two.params());
        FfLayout layout = one.layout();
        float[] readout = java.util.Arrays.copyOfRange(one.params(), layout.readoutStart(), layout.size());
        assertFalse(allZero(readout), "the readout learned");
        // The readout's cross-entropy on held-out images: ln 10 = 2.303 with its initial zero weights.
        LabeledImages test = TestData.mnistTest().head(500);
        float[] pixels = new float[test.count() * 784];
        int[] labels = new int[test.count()];
        for (int i = 0; i < test.count(); i++) {
            test.copyPixels(i, pixels, i * 784);
            labels[i] = test.label(i);
        }
        double[] loss = {0};
        try (FfTrainer t = new FfTrainer(one, c.train(), test.count(), 1)) {
            t.readoutGradient(pixels, test.count(), labels, loss);
        }
        assertTrue(loss[0] / test.count() < 1.2, "cross-entropy " + loss[0] / test.count());
    }

    // ---- float64 references ----

    /** λ/(1−m)·Σ_j (r_j − r̄)² with r = m·old + (1−m)·mean activity of the positive rows. */
    static double peerLoss(int l, double[] w, FfLayout layout, FfConfig cfg, float[] images, double[] old) {
        double[] r = running(l, w, layout, cfg, images, old);
        double mean = 0;
        for (double v : r) {
            mean += v;
        }
        mean /= r.length;
        double s = 0;
        for (double v : r) {
            s += (v - mean) * (v - mean);
        }
        return LAMBDA / (1 - FfTrainer.PEER_MOMENTUM) * s;
    }

    static double[] running(int l, double[] w, FfLayout layout, FfConfig cfg, float[] images, double[] old) {
        double m = FfTrainer.PEER_MOMENTUM;
        double[] r = new double[layout.out(l)];
        for (int ex = 0; ex < B; ex++) {
            double[] h = FfGradientTest.activity(l, w, layout, cfg, images, ex, FfGradientTest.oneHot(POS[ex]));
            for (int j = 0; j < r.length; j++) {
                r[j] += h[j] / B;
            }
        }
        for (int j = 0; j < r.length; j++) {
            r[j] = m * old[j] + (1 - m) * r[j];
        }
        return r;
    }

    static double[] logits(double[] w, FfLayout layout, FfConfig cfg, float[] images, int ex) {
        double[] neutral = new double[10];
        java.util.Arrays.fill(neutral, ReadoutKind.NEUTRAL);
        double[] z = new double[10];
        for (int c = 0; c < 10; c++) {
            z[c] = w[layout.readoutBiasOffset() + c];
        }
        for (int l = layout.readoutFirstLayer(); l < layout.layers(); l++) {
            double[] u = FfGradientTest.normalised(FfGradientTest.activity(l, w, layout, cfg, images, ex, neutral), cfg.norm());
            for (int j = 0; j < u.length; j++) {
                for (int c = 0; c < 10; c++) {
                    z[c] += u[j] * w[layout.readoutWeightOffset(l) + j * 10 + c];
                }
            }
        }
        return z;
    }

    /** Mean over the batch of the cross-entropy of the readout's softmax against the true labels. */
    static double readoutLoss(double[] w, FfLayout layout, FfConfig cfg, float[] images) {
        double total = 0;
        for (int ex = 0; ex < B; ex++) {
            double[] z = logits(w, layout, cfg, images, ex);
            double max = java.util.Arrays.stream(z).max().orElseThrow();
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            total += Math.log(sum) + max - z[POS[ex]];
        }
        return total / B;
    }

    private static double centralDifference(double[] w, int i, java.util.function.ToDoubleFunction<double[]> f) {
        double eps = 1e-6;
        double keep = w[i];
        w[i] = keep + eps;
        double up = f.applyAsDouble(w);
        w[i] = keep - eps;
        double down = f.applyAsDouble(w);
        w[i] = keep;
        return (up - down) / (2 * eps);
    }

    private static double[] toDouble(float[] p) {
        double[] w = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            w[i] = p[i];
        }
        return w;
    }

    private static boolean allZero(float[] a) {
        for (float v : a) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }
}

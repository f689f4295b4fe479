package org.ffspark.ff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.ffspark.TestData;
import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
import org.ffspark.config.ScoreLayers;
import org.ffspark.data.LabeledImages;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The scorer's shared first layer against a naive float64 forward pass of x ⊕ c for every label. */
class FfScorerTest {
    @ParameterizedTest
    @EnumSource(ScoreLayers.class)
    void scoresMatchNaiveForwardPassForEveryLabel(ScoreLayers layers) {
        FfConfig cfg = new FfConfig(List.of(784, 30, 20, 10), GoodnessKind.SUM_SQUARES, NormKind.L2, 1f, layers);
        FfModel m = FfModel.initialise(cfg, 5);
        for (int i = 0; i < m.params().length; i++) {
            m.params()[i] *= 8; // larger activities, so all layers matter
        }
        LabeledImages d = TestData.mnistTest().head(7);
        float[] images = new float[7 * 784];
        for (int i = 0; i < 7; i++) {
            d.copyPixels(i, images, i * 784);
        }
        float[] scores = new float[70];
        try (FfScorer s = new FfScorer(m, 3)) { // 3 per chunk: exercises chunking
            s.score(images, 0, 7, scores);
        }
        FfLayout layout = m.layout();
        for (int ex = 0; ex < 7; ex++) {
            for (int c = 0; c < 10; c++) {
                double[] v = new double[784];
                for (int i = 10; i < 784; i++) {
                    v[i] = images[ex * 784 + i];
                }
                v[c] = 1;
                double total = 0;
                for (int l = 0; l < layout.layers(); l++) {
                    double ss = 0;
                    for (double x : v) {
                        ss += x * x;
                    }
                    double inv = 1 / (Math.sqrt(ss) + 1e-4);
                    int n = layout.out(l);
                    double[] h = new double[n];
                    double g = 0;
                    for (int j = 0; j < n; j++) {
                        double z = m.params()[layout.biasOffset(l) + j];
                        for (int i = 0; i < layout.in(l); i++) {
                            z += v[i] * inv * m.params()[layout.weightOffset(l) + i * n + j];
                        }
                        h[j] = Math.max(0, z);
                        g += h[j] * h[j];
                    }
                    if (l >= layers.first()) {
                        total += g;
                    }
                    v = h;
                }
                assertEquals(total, scores[ex * 10 + c], 1e-4 * Math.max(1, total), "image " + ex + " label " + c);
            }
        }
    }

    /** Limited to the first layers (greedy training so far), a net scores as the net of those layers alone. */
    @org.junit.jupiter.api.Test
    void limitedToTheTrainedLayersItScoresAsThoseLayersAlone() {
        FfConfig deep = new FfConfig(List.of(784, 30, 20, 10), GoodnessKind.SUM_SQUARES, NormKind.L2, 1f, ScoreLayers.SKIP_FIRST);
        FfModel m = FfModel.initialise(deep, 9);
        LabeledImages d = TestData.mnistTest().head(5);
        float[] images = new float[5 * 784];
        for (int i = 0; i < 5; i++) {
            d.copyPixels(i, images, i * 784);
        }
        for (int upTo = 0; upTo < 3; upTo++) {
            List<Integer> sizes = List.of(784, 30, 20, 10).subList(0, upTo + 2);
            // SKIP_FIRST once a second layer is trained; all trained layers before that.
            FfConfig shallow = new FfConfig(sizes, GoodnessKind.SUM_SQUARES, NormKind.L2, 1f,
                    upTo >= 1 ? ScoreLayers.SKIP_FIRST : ScoreLayers.ALL);
            FfModel part = new FfModel(shallow, java.util.Arrays.copyOf(m.params(), new FfLayout(shallow).size()));
            float[] limited = new float[50];
            float[] alone = new float[50];
            try (FfScorer s = new FfScorer(m, 5); FfScorer t = new FfScorer(part, 5)) {
                s.limitTo(upTo);
                s.score(images, 0, 5, limited);
                t.score(images, 0, 5, alone);
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(alone, limited, "layers 0.." + upTo);
        }
    }
}

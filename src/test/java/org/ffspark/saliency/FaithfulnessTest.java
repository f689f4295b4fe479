package org.ffspark.saliency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.ffspark.TestData;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfFit;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfScorer;
import org.ffspark.ff.Gemm;
import org.junit.jupiter.api.Test;

class FaithfulnessTest {
    static final java.util.List<SaliencyMethod> FF = java.util.Arrays.stream(SaliencyMethod.values()).filter(SaliencyMethod::forFf).toList();

    @Test
    void curvesStartAndEndAtTheFullAndBlankImages() {
        Gemm.init(1);
        FfModel m = GoodnessOcclusionTest.tiny(org.ffspark.config.NormKind.L2);
        float[] image = new float[784];
        TestData.mnistTest().head(1).copyPixels(0, image, 0);
        float[] map = new float[784];
        for (int i = 0; i < 784; i++) {
            map[i] = image[i];
        }
        float[] del = new float[29];
        float[] ins = new float[29];
        float[] scores = new float[20];
        try (FfScorer s = new FfScorer(m, 64)) {
            new Faithfulness(s).curves(image, 0, map, 3, 1, del, ins);
            float[] two = new float[2 * 784];
            System.arraycopy(image, 0, two, 0, 784);
            s.score(two, 0, 2, scores);
        }
        assertEquals(Faithfulness.softmax(scores, 0, 3), del[0], 1e-6);
        assertEquals(Faithfulness.softmax(scores, 1, 3), del[28], 1e-6);
        assertEquals(Faithfulness.softmax(scores, 1, 3), ins[0], 1e-6);
        assertEquals(Faithfulness.softmax(scores, 0, 3), ins[28], 1e-6);
        float[] flat = new float[29];
        java.util.Arrays.fill(flat, 0.25f);
        assertEquals(0.25, Faithfulness.area(flat), 1e-9);
    }

    @Test
    void everyFfMapDeletesFasterThanTheRandomMapOnATrainedNet() {
        Gemm.init(1);
        TrainFfConfig cfg = TrainFfConfig.load(null, List.of("ff.layers=784,128,128", "train.epochs=2", "train.batch-size=50"));
        FfModel m = FfFit.fit(FfModel.initialise(cfg.ff(), 1), cfg.train(), TestData.mnistTrain().head(10_000), 2, null);
        LabeledImages test = TestData.mnistTest().head(40);
        float[] images = new float[40 * 784];
        for (int i = 0; i < 40; i++) {
            test.copyPixels(i, images, i * 784);
        }
        float[] scores = new float[400];
        double[] area = new double[SaliencyMethod.values().length];
        try (FfScorer s = new FfScorer(m, 64); SaliencyMaps maps = new SaliencyMaps(m, 256)) {
            s.score(images, 0, 40, scores);
            Faithfulness f = new Faithfulness(s);
            float[] map = new float[784];
            float[] del = new float[29];
            float[] ins = new float[29];
            for (int ex = 0; ex < 40; ex++) {
                int pred = FfScorer.argmax(scores, ex);
                int second = pred == 0 ? 1 : 0;
                for (int c = 0; c < 10; c++) {
                    if (c != pred && scores[ex * 10 + c] > scores[ex * 10 + second]) {
                        second = c;
                    }
                }
                for (SaliencyMethod method : FF) {
                    maps.map(method, images, ex * 784, pred, second, ex, map);
                    f.curves(images, ex * 784, map, pred, ex, del, ins);
                    area[method.ordinal()] += Faithfulness.area(del) / 40;
                }
            }
        }
        double random = area[SaliencyMethod.RANDOM.ordinal()];
        for (SaliencyMethod method : FF) {
            if (method != SaliencyMethod.RANDOM) {
                assertTrue(area[method.ordinal()] < random, method + " deletion area " + area[method.ordinal()] + " vs random " + random);
            }
        }
    }

    @Test
    void stepsRemoveEqualFractionsUpToAll774Pixels() {
        assertEquals(0, Faithfulness.removedAfter(0));
        assertEquals(774, Faithfulness.removedAfter(Faithfulness.STEPS));
        for (int s = 1; s <= Faithfulness.STEPS; s++) {
            int step = Faithfulness.removedAfter(s) - Faithfulness.removedAfter(s - 1);
            assertTrue(step == 27 || step == 28, "step " + s + " removes " + step);
            assertEquals(774.0 * s / Faithfulness.STEPS, Faithfulness.removedAfter(s), 0.5, "fraction s/28 after step " + s);
        }
    }

    @Test
    void roadCurvesStartAtTheImageEndAtTheImputedBlankAndAreReproducible() {
        Gemm.init(1);
        FfModel m = GoodnessOcclusionTest.tiny(org.ffspark.config.NormKind.RMS);
        float[] image = new float[784];
        TestData.mnistTest().head(1).copyPixels(0, image, 0);
        float[] map = new float[784];
        SaliencyMaps.random(7, map);
        float[] del = new float[29];
        float[] ins = new float[29];
        float[] del2 = new float[29];
        float[] ins2 = new float[29];
        float[] zeroDel = new float[29];
        float[] zeroIns = new float[29];
        float[] scores = new float[10];
        try (FfScorer s = new FfScorer(m, 64)) {
            Faithfulness f = new Faithfulness(s);
            f.curves(image, 0, map, 3, 11, Faithfulness.Baseline.ROAD, del, ins);
            f.curves(image, 0, map, 3, 11, Faithfulness.Baseline.ROAD, del2, ins2);
            f.curves(image, 0, map, 3, 11, Faithfulness.Baseline.ZERO, zeroDel, zeroIns);
            s.score(image, 0, 1, scores);
        }
        assertEquals(Faithfulness.softmax(scores, 0, 3), del[0], 1e-6, "nothing removed yet");
        assertEquals(Faithfulness.softmax(scores, 0, 3), ins[28], 1e-6, "everything back");
        assertEquals(del[28], ins[0], 0.05, "both ends are the fully imputed image (different noise draws)");
        org.junit.jupiter.api.Assertions.assertArrayEquals(del, del2, "same seed, same curves");
        org.junit.jupiter.api.Assertions.assertArrayEquals(ins, ins2);
        assertTrue(!java.util.Arrays.equals(del, zeroDel), "imputation changes the curve");
    }
}

package org.ffspark.ff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.ffspark.TestData;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FfTrainingTest {
    static TrainFfConfig small(String... extra) {
        List<String> sets = new java.util.ArrayList<>(List.of("ff.layers=784,64,64", "train.epochs=2"));
        sets.addAll(List.of(extra));
        return TrainFfConfig.load(null, sets);
    }

    static FfModel train(TrainFfConfig cfg, LabeledImages data, int threads) {
        FfModel m = FfModel.initialise(cfg.ff(), cfg.train().seed());
        return FfFit.fit(m, cfg.train(), data, threads, null);
    }

    @Test
    void sameSeedGivesBitIdenticalParameters() {
        LabeledImages data = TestData.mnistTrain().head(600);
        TrainFfConfig cfg = small();
        assertArrayEquals(train(cfg, data, 2).params(), train(cfg, data, 2).params());
    }

    /** Batches above and at most {@link FfTrainer#ONE_CHUNK_MAX} examples (two row chunks, one), the readout recipe's techniques. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"train.batch-size=37", "train.batch-size=25",
            "train.batch-size=25,ff.readout=SOFTMAX,train.peer-norm=0.03,train.dropout=0.1,train.negatives=HARD,train.shift-pixels=1"})
    void threadCountDoesNotChangeTheResult(String settings) {
        LabeledImages data = TestData.mnistTrain().head(600);
        TrainFfConfig cfg = small(settings.split(","));
        assertArrayEquals(train(cfg, data, 1).params(), train(cfg, data, 2).params());
    }

    @Test
    void differentSeedGivesDifferentParameters() {
        LabeledImages data = TestData.mnistTrain().head(300);
        assertFalse(java.util.Arrays.equals(train(small(), data, 2).params(), train(small("train.seed=43"), data, 2).params()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"train.schedule=SIMULTANEOUS", "train.schedule=GREEDY", "train.negatives=HARD", "ff.norm=RMS"})
    void learnsMnistSliceWellAboveChance(String variant) {
        // FF needs a few hundred steps before the label pixels start to matter: 10k examples x 4 epochs, batch 50.
        LabeledImages data = TestData.mnistTrain().head(10_000);
        TrainFfConfig cfg = TrainFfConfig.load(null, List.of("ff.layers=784,128,128", "train.epochs=4", "train.batch-size=50", variant,
                "train.learning-rate=0.03",
                variant.contains("RMS") ? "train.learning-rate=0.003" : "train.seed=42"));
        FfModel m = train(cfg, data, 2);
        double acc = org.ffspark.report.Evaluation.ofFf(m, TestData.mnistTest().head(1000)).accuracy();
        assertTrue(acc > 0.6, variant + ": accuracy " + acc);
    }

    @Test
    void greedyScheduleLeavesUpperLayerUntouchedWhileTrainingTheFirst() {
        TrainFfConfig cfg = small("train.schedule=GREEDY", "train.epochs=1");
        FfModel m = FfModel.initialise(cfg.ff(), 1);
        float[] before = m.params().clone();
        LabeledImages data = TestData.mnistTrain().head(200);
        float[] images = new float[100 * 784];
        int[] pos = new int[100];
        int[] neg = new int[100];
        for (int i = 0; i < 100; i++) {
            data.copyPixels(i, images, i * 784);
            pos[i] = data.label(i);
        }
        NegativeSampler.random(pos, 100, new Rng(1), neg);
        try (FfTrainer t = new FfTrainer(m, cfg.train(), 100, 2)) {
            t.step(images, 100, pos, neg, 0, 0, 0.01f, new LayerStats(2));
        }
        FfLayout layout = m.layout();
        for (int i = layout.start(1); i < layout.end(1); i++) {
            assertEquals(before[i], m.params()[i], "layer 2 parameter " + i);
        }
        assertNotEquals(before[layout.biasOffset(0)], m.params()[layout.biasOffset(0)]);
    }
}

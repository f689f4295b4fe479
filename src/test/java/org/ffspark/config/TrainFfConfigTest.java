package org.ffspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.ffspark.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainFfConfigTest {
    @Test
    void defaultsAreThePaperConfiguration() {
        TrainFfConfig c = TrainFfConfig.load(null, List.of());
        assertEquals(List.of(784, 500, 500), c.ff().layerSizes());
        assertEquals(2.0f, c.ff().threshold());
        assertEquals(GoodnessKind.MEAN_SQUARES, c.ff().goodness());
        assertEquals(OptimizerKind.ADAM, c.train().optimizer());
        assertEquals(100, c.train().batchSize());
    }

    @Test
    void everyConfFileLoadsAndUsesOnlyKnownKeys() throws IOException {
        try (var files = Files.list(TestData.projectDir().resolve("conf"))) {
            List<Path> confs = files.filter(p -> p.getFileName().toString().startsWith("train-")).toList();
            assertTrue(!confs.isEmpty(), "conf/train-*.properties exist");
            for (Path p : confs) {
                TrainFfConfig.load(p, List.of());
            }
        }
    }

    @Test
    void confFileDocumentsEveryKey() throws IOException {
        String text = Files.readString(TestData.projectDir().resolve("conf/train-ff.properties"));
        Properties p = new Properties();
        p.load(new java.io.StringReader(text));
        for (String key : TrainFfConfig.DEFAULTS.keySet()) {
            assertTrue(p.containsKey(key), "conf/train-ff.properties sets " + key);
            assertEquals(TrainFfConfig.DEFAULTS.get(key), p.getProperty(key), key + " shows its default");
        }
        assertEquals(ConfigKeys.propertiesFile(), text,
                "conf/train-ff.properties is generated: bin/ffspark config --format properties > conf/train-ff.properties");
    }

    @Test
    void docsTableIsTheDeclarations() throws IOException {
        String doc = Files.readString(TestData.projectDir().resolve("docs/configuration.md"));
        assertTrue(doc.contains(ConfigKeys.markdownTable()),
                "docs/configuration.md holds the table printed by: bin/ffspark config --format markdown");
    }

    @Test
    void everyKeyRoundTripsThroughTheEffectiveConfig() {
        TrainFfConfig c = TrainFfConfig.load(null, List.of());
        assertEquals(ConfigKeys.all().stream().map(Param::name).toList(), List.copyOf(c.toMap().keySet()));
        assertEquals(c, TrainFfConfig.load(null, c.toMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }

    @Test
    void precedenceIsDefaultsThenFileThenOverrides(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.properties");
        Files.writeString(f, "train.epochs = 7\ntrain.batch-size = 50\n");
        TrainFfConfig c = TrainFfConfig.load(f, List.of("train.epochs=3"));
        assertEquals(3, c.train().epochs());
        assertEquals(50, c.train().batchSize());
        assertEquals(0.03f, c.train().learningRate());
    }

    @Test
    void rejectsUnknownKeyNamingFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.properties");
        Files.writeString(f, "train.epoch = 7\n");
        ConfigException e = assertThrows(ConfigException.class, () -> TrainFfConfig.load(f, List.of()));
        assertTrue(e.getMessage().startsWith(f + ": unknown key 'train.epoch'"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ff.threshold=-2.0|--set: ff.threshold = -2.0: must be a finite number > 0",
            "ff.threshold=0|ff.threshold = 0.0: must be a finite number > 0",
            "train.learning-rate=0|train.learning-rate = 0.0: must be a finite number > 0",
            "train.batch-size=0|train.batch-size = 0: must be >= 1",
            "train.batch-size=-5|train.batch-size = -5: must be >= 1",
            "train.epochs=0|train.epochs = 0: must be >= 1",
            "train.epochs=two|train.epochs = two: expected an integer",
            "ff.layers=784|ff.layers = 784: give the input size and at least one hidden size",
            "ff.layers=100,50|ff.layers = 100,50: the first size is the input and must be 784",
            "ff.layers=784,0|ff.layers = 784,0: every size must be >= 1",
            "ff.layers=784,x|ff.layers = 784,x: expected comma-separated integers",
            "ff.goodness=CUBE|ff.goodness = CUBE: expected one of MEAN_SQUARES, SUM_SQUARES",
            "ff.score-layers=SKIP_FIRST|ff.score-layers = SKIP_FIRST: SKIP_FIRST needs at least two hidden layers",
            "train.adam.beta1=1|train.adam.beta1 = 1.0: must be in [0, 1)",
            "train.lr-warmup-epochs=-1|train.lr-warmup-epochs = -1.0: must be in [0, train.epochs = 20]",
            "train.lr-warmup-epochs=21|train.lr-warmup-epochs = 21.0: must be in [0, train.epochs = 20]"})
    void rejectsBadValueNamingKeyAndValue(String override, String message) {
        List<String> sets = override.startsWith("ff.score-layers") ? List.of("ff.layers=784,10", override) : List.of(override);
        ConfigException e = assertThrows(ConfigException.class, () -> TrainFfConfig.load(null, sets));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void rejectsMalformedOverride() {
        ConfigException e = assertThrows(ConfigException.class, () -> TrainFfConfig.load(null, List.of("train.epochs")));
        assertTrue(e.getMessage().contains("expected key=value"), e.getMessage());
    }

    @Test
    void learningRateWarmsUpLinearlyThenFollowsTheSchedule() {
        TrainConfig t = TrainFfConfig.load(null, List.of("train.learning-rate=0.1", "train.epochs=4",
                "train.lr-schedule=LINEAR_DECAY_SECOND_HALF", "train.lr-warmup-epochs=0.5")).train();
        // 10 batches per epoch: the warm-up covers batches 0..4 of epoch 0, ending each at 0.1 * (b+1)/5.
        assertEquals(0.1f * 1 / 5, t.learningRateAt(0, 0, 10), 1e-7f);
        assertEquals(0.1f * 3 / 5, t.learningRateAt(0, 2, 10), 1e-7f);
        assertEquals(0.1f, t.learningRateAt(0, 4, 10), 1e-7f);
        assertEquals(0.1f, t.learningRateAt(1, 9, 10), 1e-7f);
        // Second half: the decay alone, as without warm-up.
        TrainConfig plain = TrainFfConfig.load(null, List.of("train.learning-rate=0.1", "train.epochs=4",
                "train.lr-schedule=LINEAR_DECAY_SECOND_HALF")).train();
        assertEquals(plain.learningRateAt(3, 5, 10), t.learningRateAt(3, 5, 10));
        assertEquals(0.1f * 2 * (1 - 3.5 / 4), t.learningRateAt(3, 5, 10), 1e-7f);
        // Without warm-up the first batch already takes the full rate.
        assertEquals(0.1f, plain.learningRateAt(0, 0, 10));
    }

    @Test
    void theAveragingPeriodIsGivenInMinibatchesExamplesOrEpochsAndResolvedToMinibatches() {
        AveragingPeriod ten = TrainFfConfig.load(null, List.of("dist.averaging-period=10")).dist().averagingPeriod();
        assertEquals(AveragingPeriod.ofBatches(10), ten);
        assertEquals("10", ten.format(), "minibatches are written as before");
        assertEquals(10, ten.batches(25, 600));
        AveragingPeriod examples = TrainFfConfig.load(null, List.of("dist.averaging-period=3000 examples")).dist().averagingPeriod();
        assertEquals(120, examples.batches(25, 600), "3000 examples of 25 per minibatch");
        assertEquals("3000 examples", examples.format());
        AveragingPeriod half = TrainFfConfig.load(null, List.of("dist.averaging-period = 0.5 epochs")).dist().averagingPeriod();
        assertEquals(300, half.batches(25, 600), "half of the longest shard's 600 minibatches");
        assertEquals("0.5 epochs", half.format());
        assertEquals(half, AveragingPeriod.parse(half.format()), "the written form reads back");
        assertEquals(1, AveragingPeriod.parse("1 example").batches(100, 600), "at least one minibatch");
        assertEquals(AveragingPeriod.parse("2 epochs"), AveragingPeriod.parse("2 EPOCH"));
        ConfigException whole = assertThrows(ConfigException.class, () -> TrainFfConfig.load(null, List.of("dist.averaging-period=1.5")));
        assertTrue(whole.getMessage().contains("dist.averaging-period = 1.5: expected a number of minibatches"), whole.getMessage());
        ConfigException zero = assertThrows(ConfigException.class, () -> TrainFfConfig.load(null, List.of("dist.averaging-period=0 epochs")));
        assertTrue(zero.getMessage().contains("dist.averaging-period = 0 epochs: must be a positive amount"), zero.getMessage());
    }

    /**
     * Every recipe in conf/recipes loads and passes validation; the readout recipes keep the distributed settings their
     * 4-partition run was measured with, whatever the defaults are.
     */
    @Test
    void everyRecipeLoadsAndTheReadoutRecipesPinTheirDistributedSettings() throws IOException {
        List<Path> recipes;
        try (var files = Files.list(Path.of("conf/recipes"))) {
            recipes = files.filter(f -> f.toString().endsWith(".properties")).sorted().toList();
        }
        assertTrue(recipes.size() >= 4, recipes.toString());
        for (Path r : recipes) {
            java.util.Map<String, String> m = TrainFfConfig.load(r, List.of()).toMap();
            if (r.getFileName().toString().contains("readout")) {
                assertEquals("SOFTMAX", m.get("ff.readout"), r.toString());
                assertEquals("AVERAGED", m.get("dist.optimizer-state"), r.toString());
                assertEquals(0f, Float.parseFloat(m.get("dist.block-momentum")), r.toString());
                assertEquals(1f, Float.parseFloat(m.get("dist.block-lr")), r.toString());
            }
        }
    }
}

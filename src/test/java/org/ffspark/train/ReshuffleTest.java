package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.TrainState;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.job.TrainJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dist.reshuffle-epochs: examples move between shards deterministically, through retries and resumes. */
class ReshuffleTest {
    static final TrainFfConfig CFG = TrainFfConfig.load(null, List.of("ff.layers=784,32,24", "train.epochs=3", "train.batch-size=50"));

    static TrainFfConfig reshuffled(int period, int failRound) {
        return CFG.withDist(TestData.dist(period, 1, failRound).config().withReshuffleEpochs(1));
    }

    static TestData.Dist dealing(int period, int failRound) {
        return new TestData.Dist(TestData.dist(period, 0, failRound).config().withReshuffleEpochs(1), failRound);
    }

    @Test
    void aDealMovesExamplesBetweenShardsKeepingSizesAndTheSetAndIsReproducible() {
        SparkSession spark = SparkTests.session();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LabeledImages data = TestData.mnistTrain().head(300);
        JavaRDD<LabeledImages> first = Shards.fromImages(jsc, data, 3, 42);
        try {
            List<LabeledImages> before = first.collect();
            int[] sizes = before.stream().mapToInt(LabeledImages::count).toArray();
            JavaRDD<LabeledImages> d1 = Reshuffle.deal(first, sizes, 42, 1);
            List<LabeledImages> after = d1.collect();
            List<LabeledImages> again = Reshuffle.deal(first, sizes, 42, 1).collect();
            List<LabeledImages> other = Reshuffle.deal(first, sizes, 42, 2).collect();
            List<String> rowsBefore = new ArrayList<>();
            List<String> rowsAfter = new ArrayList<>();
            int moved = 0;
            for (int q = 0; q < 3; q++) {
                assertEquals(sizes[q], after.get(q).count(), "shard " + q + " keeps its size");
                assertArrayEquals(after.get(q).pixels(), again.get(q).pixels(), "the same deal, the same shard");
                assertFalse(java.util.Arrays.equals(after.get(q).pixels(), other.get(q).pixels()), "another deal, another shard");
                for (int i = 0; i < sizes[q]; i++) {
                    String before_ = row(before.get(q), i);
                    String after_ = row(after.get(q), i);
                    rowsBefore.add(before_);
                    rowsAfter.add(after_);
                }
                List<String> own = new ArrayList<>();
                for (int i = 0; i < sizes[q]; i++) {
                    own.add(row(before.get(q), i));
                }
                for (int i = 0; i < sizes[q]; i++) {
                    moved += own.contains(row(after.get(q), i)) ? 0 : 1;
                }
            }
            java.util.Collections.sort(rowsBefore);
            java.util.Collections.sort(rowsAfter);
            assertEquals(rowsBefore, rowsAfter, "the same examples, each once");
            assertTrue(moved > 150, "about two thirds of 300 examples change shard: " + moved);
        } finally {
            first.unpersist(false);
        }
    }

    private static String row(LabeledImages s, int i) {
        return s.label(i) + ":" + java.util.Arrays.hashCode(java.util.Arrays.copyOfRange(s.pixels(), i * 784, (i + 1) * 784)) + ":"
                + java.util.Arrays.toString(java.util.Arrays.copyOfRange(s.pixels(), i * 784 + 300, i * 784 + 320));
    }

    @Test
    void reshuffledTrainingReplaysRetriesAndResumesBitForBit(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkTests.session();
        LabeledImages data = TestData.mnistTrain().head(600);
        TrainState plain = SparkFfTrainerTest.run(CFG, spark, data, 2, TestData.dist(3, 0, -1), (r, s) -> { });
        TrainState a = SparkFfTrainerTest.run(CFG, spark, data, 2, dealing(3, -1), (r, s) -> { });
        TrainState retried = SparkFfTrainerTest.run(CFG, spark, data, 2, dealing(3, 5), (r, s) -> { });
        assertArrayEquals(a.params(), retried.params(), "a retried task in the second deal replays it");
        assertFalse(java.util.Arrays.equals(a.params(), plain.params()), "dealing again changes training");

        // A resume in the third epoch (the second deal) ends where the uninterrupted run ends.
        Path idx = TestData.writeMnistSlice(tmp.resolve("idx"), 400, 10);
        TrainFfConfig cfg = reshuffled(2, -1);
        String full = tmp.resolve("full").toString();
        String cut = tmp.resolve("cut").toString();
        for (String m : List.of(full, cut)) {
            TrainJob.run(spark, Storage.local(), cfg, new TrainJob.Options(idx.toString(), m, null, 2, false, false, null, false, false),
                    (r, s) -> { }, w -> { });
        }
        Path ck = Path.of(cut + ".run", "checkpoints");
        List<String> rounds;
        try (java.util.stream.Stream<Path> s = Files.list(ck)) {
            rounds = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        int perEpoch = rounds.size() / 3;
        assertEquals(3 * perEpoch, rounds.size(), "a checkpoint per round: " + rounds);
        // Resume inside the third epoch, whose deal the resumed run must build again.
        for (String r : rounds.subList(2 * perEpoch + 1, rounds.size())) {
            SparkFfTrainerTest.deleteTree(ck.resolve(r));
        }
        SparkFfTrainerTest.deleteTree(Path.of(cut));
        TrainJob.run(spark, Storage.local(), cfg, new TrainJob.Options(idx.toString(), cut, null, 2, true, false, null, false, false),
                (r, s) -> { }, w -> { });
        assertArrayEquals(ModelStore.read(Storage.local(), full).model().params(), ModelStore.read(Storage.local(), cut).model().params());
    }
}

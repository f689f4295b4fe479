package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ffspark.ClusterTest;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfTrainer;
import org.ffspark.ff.TrainState;

/**
 * Resource limits: a training round of the large reference configuration (784-2000x4, batch 100) runs in one
 * executor JVM with a 2 GB heap (local-cluster[1,1,2048]); the executor's peak heap and resident set after
 * 784-500-500 and then 784-2000x4 rounds are printed for the resource table in docs/cluster.md.
 */
class ExecutorMemoryTest {
    static final String MASTER = "local-cluster[1,1,2048]";

    /** Peak heap (sum of the heap pools' peaks) and peak RSS (VmHWM) of the executor JVM so far, in MB. */
    static long[] executorPeaks(JavaSparkContext jsc) {
        return jsc.parallelize(List.of(0), 1).map(i -> {
            long heap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heap += pool.getPeakUsage().getUsed();
                }
            }
            long rssKb = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
            long max = Runtime.getRuntime().maxMemory();
            return new long[] {heap >> 20, rssKb >> 10, max >> 20};
        }).collect().get(0);
    }

    static void oneRound(JavaSparkContext jsc, String layers, LabeledImages data) {
        TrainFfConfig cfg = TrainFfConfig.load(null, List.of("ff.layers=" + layers, "train.epochs=1", "train.batch-size=100"));
        JavaRDD<LabeledImages> shards = Shards.fromImages(jsc, data, 1, 1);
        try {
            SparkFfTrainer t = new SparkFfTrainer(jsc, shards, cfg.ff(), cfg.train(), TestData.dist(4, 0, -1).config());
            FfModel init = FfModel.initialise(cfg.ff(), 1);
            TrainState s;
            try (FfTrainer ft = new FfTrainer(init, cfg.train(), 1, 1)) {
                s = TrainState.initial(init, ft.optimizer());
            }
            assertEquals(1, t.totalRounds(), "one averaging round");
            TrainState after = t.run(s, 0, (r, st) -> { });
            assertTrue(after.params()[0] != s.params()[0] || after.params()[after.params().length - 1] != s.params()[s.params().length - 1],
                    "the round trained");
        } finally {
            shards.unpersist(false);
        }
    }

    @ClusterTest
    void aRoundOf784x2000x4FitsA2GbExecutorHeap() {
        SparkSession spark = SparkTests.session(MASTER);
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            LabeledImages data = TestData.mnistTrain().head(400);
            long[] base = executorPeaks(jsc);
            assertTrue(base[2] <= 2048 && base[2] > 1500, "executor max heap is 2 GB: " + base[2] + " MB");
            oneRound(jsc, "784,500,500", data);
            long[] small = executorPeaks(jsc);
            oneRound(jsc, "784,2000,2000,2000,2000", data);
            long[] large = executorPeaks(jsc);
            System.out.printf("executor memory (MB): idle heap %d rss %d; after 784-500-500 round heap %d rss %d; "
                    + "after 784-2000x4 round heap %d rss %d; max heap %d%n", base[0], base[1], small[0], small[1], large[0], large[1], large[2]);
            assertTrue(large[0] < 2048, "peak heap below 2 GB");
        } finally {
            SparkTests.session(SparkTests.LOCAL);
        }
    }
}

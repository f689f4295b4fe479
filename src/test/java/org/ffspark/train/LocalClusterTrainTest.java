package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ffspark.ClusterTest;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.data.LabeledImages;

/**
 * Two real executor JVMs give the same model as local[2] for the same seed and partitioning, with the optimizer
 * state averaged and kept per worker.
 */
class LocalClusterTrainTest {
    @ClusterTest
    void twoExecutorJvmsMatchLocalModeBitForBit() {
        LabeledImages data = TestData.mnistTrain().head(600);
        float[] local = SparkFfTrainerTest.spark(SparkTests.session(SparkTests.LOCAL), data, 2, 3, -1);
        org.ffspark.ff.TrainState localPerWorker = SparkFfTrainerTest.run(SparkTests.session(SparkTests.LOCAL), data, 2,
                SparkFfTrainerTest.perWorker(3, -1));
        SparkSession cluster = SparkTests.session(SparkTests.LOCAL_CLUSTER);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(cluster.sparkContext());
        List<String> jvms = jsc.parallelize(List.of(0, 1, 2, 3), 4)
                .map(i -> ManagementFactory.getRuntimeMXBean().getName()).collect();
        Set<String> distinct = new HashSet<>(jvms);
        String driver = ManagementFactory.getRuntimeMXBean().getName();
        assertTrue(!distinct.contains(driver), "tasks ran outside the driver JVM: " + distinct);
        float[] distributed = SparkFfTrainerTest.spark(cluster, data, 2, 3, 1);
        assertArrayEquals(local, distributed);
        // Per-worker optimizer state across the two JVMs: each partition's moments come back to its own block.
        org.ffspark.ff.TrainState clusterPerWorker = SparkFfTrainerTest.run(cluster, data, 2, SparkFfTrainerTest.perWorker(3, 1));
        assertArrayEquals(localPerWorker.params(), clusterPerWorker.params());
        assertArrayEquals(localPerWorker.firstMoment(), clusterPerWorker.firstMoment());
        assertArrayEquals(localPerWorker.secondMoment(), clusterPerWorker.secondMoment());
        assertArrayEquals(localPerWorker.steps(), clusterPerWorker.steps());
        assertEquals(2, jsc.sc().getExecutorMemoryStatus().size() - 1, "two executors besides the driver");
        SparkTests.session(SparkTests.LOCAL);
    }

    /**
     * Eight executor JVMs, eight partitions, per-worker states (the default) with block momentum: the same
     * parameters and moments as local mode, and the driver's round results stay one vector (the aggregation tree
     * combines partitions in executors).
     */
    @ClusterTest
    void eightExecutorJvmsMatchLocalModeBitForBit() throws Exception {
        LabeledImages data = TestData.mnistTrain().head(1600);
        TestData.Dist dist = TestData.dist(2, 0, -1, org.ffspark.config.OptimizerState.PER_WORKER, 0.5f, 1f);
        org.ffspark.ff.TrainState local = SparkFfTrainerTest.run(SparkTests.session(SparkTests.LOCAL), data, 8, dist);
        SparkSession cluster = SparkTests.session("local-cluster[8,1,512]");
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(cluster.sparkContext());
            AggregationTest.DriverBytes bytes = new AggregationTest.DriverBytes();
            cluster.sparkContext().addSparkListener(bytes);
            org.ffspark.ff.TrainState distributed;
            try {
                distributed = SparkFfTrainerTest.run(cluster, data, 8, dist);
            } finally {
                cluster.sparkContext().listenerBus().waitUntilEmpty();
                cluster.sparkContext().removeSparkListener(bytes);
            }
            assertEquals(8, jsc.sc().getExecutorMemoryStatus().size() - 1, "eight executors besides the driver");
            assertArrayEquals(local.params(), distributed.params());
            assertArrayEquals(local.firstMoment(), distributed.firstMoment());
            assertArrayEquals(local.secondMoment(), distributed.secondMoment());
            assertArrayEquals(local.steps(), distributed.steps());
            double params = 4.0 * local.params().length;
            double perRound = bytes.bytes.get() / (double) bytes.groups.size();
            assertTrue(perRound < 1.5 * params, perRound + " bytes per round into the driver, parameters " + params);
        } finally {
            SparkTests.session(SparkTests.LOCAL);
        }
    }
}

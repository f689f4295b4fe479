package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.TrainState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The round's reduction: executors sum the partitions, in a fixed order, and the driver receives one vector. */
class AggregationTest {
    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 3, 5, 8, 13, 16, 17, 40, 64})
    void aTreeMatchedToSparksGroupingSumsEachIntermediateTaskToOneVectorAndIsOrderIndependent(int n) {
        Random r = new Random(n);
        float[][] v = new float[n][32];
        for (float[] row : v) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
            }
        }
        int m = TreeSum.intermediateTasks(n, SparkFfTrainer.AGGREGATION_DEPTH);
        assertTrue(m >= 0, "one intermediate level at most for depth 2");
        float[] reference = null;
        for (int trial = 0; trial < 10; trial++) {
            List<TreeSum> parts = new ArrayList<>();
            if (m > 0) {
                // Spark's intermediate tasks: partitions with equal p % m, merged in a random order.
                for (int g = 0; g < m; g++) {
                    List<Integer> members = new ArrayList<>();
                    for (int p = g; p < n; p += m) {
                        members.add(p);
                    }
                    Collections.shuffle(members, new Random(trial * 31 + g));
                    TreeSum t = TreeSum.forTreeAggregate(n, SparkFfTrainer.AGGREGATION_DEPTH);
                    for (int p : members) {
                        t.mergeInPlace(TreeSum.forTreeAggregate(n, SparkFfTrainer.AGGREGATION_DEPTH).addLeaf(p, v[p].clone()));
                    }
                    assertEquals(1, t.partialVectors(), "task " + g + " of " + m + " sums its group to one vector");
                    parts.add(t);
                }
            } else {
                for (int p = 0; p < n; p++) {
                    parts.add(TreeSum.forTreeAggregate(n, SparkFfTrainer.AGGREGATION_DEPTH).addLeaf(p, v[p].clone()));
                }
            }
            Collections.shuffle(parts, new Random(trial));
            TreeSum all = parts.remove(0);
            for (TreeSum t : parts) {
                all.mergeInPlace(t);
            }
            float[] total = all.total();
            if (reference == null) {
                reference = total;
            } else {
                assertArrayEquals(reference, total, "trial " + trial);
            }
        }
        for (int i = 0; i < 32; i++) {
            double s = 0;
            double mag = 0;
            for (float[] row : v) {
                s += row[i];
                mag += Math.abs(row[i]);
            }
            assertEquals(s, reference[i], 1e-5 * mag + 1e-30);
        }
    }

    /** Sums the results the driver receives from the round jobs' result tasks, per round. */
    static final class DriverBytes extends SparkListener {
        final Map<Integer, Boolean> roundStages = new ConcurrentHashMap<>();
        final AtomicLong bytes = new AtomicLong();
        final java.util.Set<String> groups = ConcurrentHashMap.newKeySet();

        @Override
        public void onJobStart(SparkListenerJobStart e) {
            String group = e.properties() == null ? null : e.properties().getProperty("spark.jobGroup.id");
            if (group != null && group.startsWith("ffspark-train-round-")) {
                groups.add(group);
                scala.collection.Iterator<Object> it = e.stageIds().iterator();
                while (it.hasNext()) {
                    roundStages.put((Integer) it.next(), true);
                }
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            if (roundStages.containsKey(e.stageId()) && "ResultTask".equals(e.taskType()) && e.taskMetrics() != null) {
                bytes.addAndGet(e.taskMetrics().resultSize());
            }
        }
    }

    static double bytesPerRound(SparkSession spark, LabeledImages data, int partitions) throws Exception {
        return bytesPerRound(spark, data, partitions, TestData.dist(2, 0, -1));
    }

    static double bytesPerRound(SparkSession spark, LabeledImages data, int partitions, TestData.Dist dist) throws Exception {
        DriverBytes l = new DriverBytes();
        spark.sparkContext().addSparkListener(l);
        try {
            SparkFfTrainerTest.run(spark, data, partitions, dist);
        } finally {
            spark.sparkContext().listenerBus().waitUntilEmpty();
            spark.sparkContext().removeSparkListener(l);
        }
        return l.bytes.get() / (double) l.groups.size();
    }

    @Test
    void theDriverReceivesAboutOneStatePerRoundWhateverThePartitionCountAndSumsStayDeterministic() throws Exception {
        SparkSession spark = SparkTests.session();
        LabeledImages data = TestData.mnistTrain().head(1600);
        double two = bytesPerRound(spark, data, 2);
        double sixteen = bytesPerRound(spark, data, 16);
        // One state: parameters and Adam's two moments of 784-32-24, as float32.
        double state = 4.0 * 3 * (784 * 32 + 32 + 32 * 24 + 24);
        assertTrue(two > 0.9 * state && two < 1.5 * state, "2 partitions: " + two + " bytes per round, one state " + state);
        assertTrue(sixteen <= 2 * two && sixteen < 2 * state, "16 partitions: " + sixteen + " bytes per round against " + two);
        TrainState a = SparkFfTrainerTest.run(spark, data, 16, TestData.dist(2, 0, -1));
        TrainState retried = SparkFfTrainerTest.run(spark, data, 16, TestData.dist(2, 0, 1));
        assertArrayEquals(a.params(), retried.params(), "16 partitions: a retried task changes nothing");
    }

    @Test
    void perWorkerStatesStayInTheExecutorsAndTheDriverReceivesOneParameterVectorPerRound() throws Exception {
        SparkSession spark = SparkTests.session();
        LabeledImages data = TestData.mnistTrain().head(1600);
        TestData.Dist perWorker = SparkFfTrainerTest.perWorker(1, -1);
        double two = bytesPerRound(spark, data, 2, perWorker);
        double sixteen = bytesPerRound(spark, data, 16, perWorker);
        // One parameter vector of 784-32-24 as float32 (the moments, twice that, stay with the workers).
        double params = 4.0 * (784 * 32 + 32 + 32 * 24 + 24);
        assertTrue(two > 0.9 * params && two < 1.5 * params, "2 partitions: " + two + " bytes per round, parameters " + params);
        assertTrue(sixteen <= 2 * two && sixteen < 2 * params, "16 partitions: " + sixteen + " bytes per round against " + two);
    }
}

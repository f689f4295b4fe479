package org.ffspark.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ffspark.ClusterTest;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.data.LabeledImages;
import org.ffspark.train.Shards;
import org.junit.jupiter.api.Test;

/** The DL4J ParameterAveraging MLP baseline learns MNIST on a slice, on local[2] and on two executor JVMs. */
class MlpBaselineTest {
    static final MlpBaseline.Options OPT = new MlpBaseline.Options(List.of(784, 128, 128), 2e-3, 6, 50, 42, 10);

    static double trainAndTest(SparkSession spark, List<Double> seconds) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<LabeledImages> shards = Shards.fromImages(jsc, TestData.mnistTrain().head(4000), 2, 42);
        try {
            MultiLayerNetwork net = MlpBaseline.fit(jsc, shards, OPT, (e, s, n) -> seconds.add(s));
            return MlpBaseline.evaluate(net, TestData.mnistTest().head(1000)).accuracy();
        } finally {
            shards.unpersist(false);
        }
    }

    @Test
    void learnsMnistOnLocal2() {
        List<Double> seconds = new ArrayList<>();
        double acc = trainAndTest(SparkTests.session(), seconds);
        assertEquals(6, seconds.size(), "one report per epoch");
        assertTrue(acc > 0.90, "accuracy on 1,000 test images after 6 epochs on 4,000: " + acc);
    }

    @ClusterTest
    void learnsMnistOnTwoExecutorJvms() {
        try {
            double acc = trainAndTest(SparkTests.session(SparkTests.LOCAL_CLUSTER), new ArrayList<>());
            assertTrue(acc > 0.90, "accuracy " + acc);
        } finally {
            SparkTests.session(SparkTests.LOCAL);
        }
    }
}

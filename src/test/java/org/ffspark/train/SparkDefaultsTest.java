package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkDefaultsTest {
    @Test
    void taskResultsTravelInlineAndBroadcastsUncompressedUnlessTheUserChoseOtherwise() {
        SparkConf unset = SparkFfTrainer.withDefaults(new SparkConf(false));
        assertEquals("128m", unset.get("spark.task.maxDirectResultSize"));
        SparkConf chosen = SparkFfTrainer.withDefaults(new SparkConf(false).set("spark.task.maxDirectResultSize", "4m"));
        assertEquals("4m", chosen.get("spark.task.maxDirectResultSize"));
        assertEquals("false", unset.get("spark.broadcast.compress"));
        assertEquals("16m", unset.get("spark.broadcast.blockSize"));
        assertEquals("4m", SparkFfTrainer.withDefaults(new SparkConf(false).set("spark.broadcast.blockSize", "4m"))
                .get("spark.broadcast.blockSize"));
        assertEquals("true", SparkFfTrainer.withDefaults(new SparkConf(false).set("spark.broadcast.compress", "true"))
                .get("spark.broadcast.compress"));
    }

    @Test
    void executorsGetLargeG1RegionsUnlessAnAdministratorSetDefaultJavaOptions() {
        assertEquals("-XX:G1HeapRegionSize=32m",
                SparkFfTrainer.withDefaults(new SparkConf(false)).get("spark.executor.defaultJavaOptions"));
        SparkConf admin = new SparkConf(false).set("spark.executor.defaultJavaOptions", "-XX:+UseParallelGC");
        assertEquals("-XX:+UseParallelGC", SparkFfTrainer.withDefaults(admin).get("spark.executor.defaultJavaOptions"));
    }
}

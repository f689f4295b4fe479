package org.ffspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.InputDataException;
import org.ffspark.data.Split;
import org.ffspark.io.Storage;
import org.ffspark.train.Shards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corrupt Parquet row is a deterministic error: the job fails after the first attempt of the task that found it
 * (the test session allows one retry per task), with the message a check on the driver gives for the same row.
 */
class DataErrorTest {
    /** Counts task attempts and failed attempts. */
    static final class Attempts extends SparkListener {
        final AtomicInteger tasks = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            tasks.incrementAndGet();
            if (!e.taskInfo().successful()) {
                failed.incrementAndGet();
            }
            if (e.taskInfo().attemptNumber() > 0) {
                retries.incrementAndGet();
            }
        }
    }

    /** An ingest-like data set of 40 rows in 2 files; row 23's pixels are 100 bytes. */
    static Path corrupt(SparkSession spark, Path tmp) throws Exception {
        Path d = tmp.resolve("pq");
        spark.range(0, 40, 1, 2).selectExpr("id", "CAST(id % 10 AS INT) AS label",
                "CASE WHEN id = 23 THEN unhex(repeat('00', 100)) ELSE unhex(repeat('01', 784)) END AS pixels", "'train' AS split")
                .write().mode(SaveMode.ErrorIfExists).parquet(d.toString());
        Files.writeString(d.resolve("_ffspark.json"), "{\"format\": \"ffspark-images\", \"formatVersion\": 1, \"source\": \"test\","
                + " \"runId\": \"test\", \"checksums\": {}, \"trainRows\": 40, \"testRows\": 0}", StandardCharsets.UTF_8);
        return d;
    }

    @Test
    void aCorruptRowFailsTrainingAndEvaluationAfterOneTaskAttemptWithTheDriversMessage(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkTests.session();
        assertEquals("local[2,2]", spark.sparkContext().master(), "the session retries a failed task once");
        Path d = corrupt(spark, tmp);
        List<Row> rows = spark.read().parquet(d.toString()).select("id", "label", "pixels").collectAsList();
        String onDriver = assertThrows(InputDataException.class, () -> Shards.images("driver", rows, d.toString())).getMessage();
        assertEquals(d + ": row id 23: pixels has 100 bytes, expected 784", onDriver);

        Attempts a = new Attempts();
        spark.sparkContext().addSparkListener(a);
        try {
            InputDataException train = assertThrows(InputDataException.class, () -> Shards.fromParquet(spark, d.toString(), 2, 42));
            assertEquals(onDriver, train.getMessage());
            String model = TestData.writeSmallModel(tmp, "784,16,16", 1, 200);
            InputDataException eval = assertThrows(InputDataException.class,
                    () -> EvaluateJob.run(spark, Storage.local(), model, d.toString(), Split.TRAIN, tmp.resolve("e.json").toString()));
            assertEquals(onDriver, eval.getMessage());
            TrainFfConfig cfg = TrainFfConfig.load(null, List.of("ff.layers=784,16", "train.epochs=1", "train.batch-size=10"));
            InputDataException job = assertThrows(InputDataException.class, () -> TrainJob.run(spark, Storage.local(), cfg,
                    new TrainJob.Options(d.toString(), tmp.resolve("m").toString(), null, 2, false, false, null, false, false),
                    (r, s) -> { }, w -> { }));
            assertEquals(onDriver, job.getMessage());
        } finally {
            spark.sparkContext().listenerBus().waitUntilEmpty();
            spark.sparkContext().removeSparkListener(a);
        }
        assertTrue(a.tasks.get() > 0, "tasks ran");
        assertEquals(0, a.failed.get(), "no task attempt failed: the error travelled as a result");
        assertEquals(0, a.retries.get(), "no task was attempted twice");
        assertTrue(!Files.exists(tmp.resolve("m")), "no model");
    }
}

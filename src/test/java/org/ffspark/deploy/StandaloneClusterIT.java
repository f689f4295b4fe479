package org.ffspark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ffspark.ParquetSchema;
import org.ffspark.Processes;
import org.ffspark.SchemaCheck;
import org.ffspark.SparkTests;
import org.ffspark.StandaloneCluster;
import org.ffspark.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on real processes: a standalone master and worker started by deploy/standalone, and every job
 * submitted through jobs/* (spark-submit of the cluster jar, SPARK_HOME from deploy/spark-home) with two executor
 * JVMs: ingest -> train -> evaluate -> saliency -> report on a slice of MNIST, every output checked.
 * Runs in 'mvn verify' (after the cluster jar is packaged).
 */
class StandaloneClusterIT {
    @Test
    void ingestTrainEvaluateSaliencyReportThroughSparkSubmitOnTwoExecutors(@TempDir Path tmp) throws Exception {
        Path idx = TestData.writeMnistSlice(tmp.resolve("idx"), 6000, 400);
        Path pq = tmp.resolve("parquet");
        Path model = tmp.resolve("model");
        Path sal = tmp.resolve("saliency");
        Path report = tmp.resolve("report");
        Path logs = tmp.resolve("logs");
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("standalone"))) {
            Map<String, String> env = cluster.jobEnv();
            Processes.ok(logs.resolve("ingest.log"), env, 600, "jobs/ingest", "--data", idx.toString(), "--out", pq.toString());
            Processes.Result train = Processes.ok(logs.resolve("train.log"), env, 900, "jobs/train", "--data", pq.toString(),
                    "--model", model.toString(), "--config", "conf/train-ff-quickstart.properties",
                    "--set", "ff.layers=784,128,128", "--set", "train.epochs=10", "--set", "train.batch-size=50",
                    "--set", "train.learning-rate=0.1", "--partitions", "2");
            assertTrue(train.output().contains("train: model written to"), train.output());
            Processes.ok(logs.resolve("evaluate.log"), env, 600, "jobs/evaluate", "--spark", "--model", model.toString(), "--data", pq.toString());
            Processes.ok(logs.resolve("saliency.log"), env, 600, "jobs/saliency", "--model", model.toString(), "--data", idx.toString(),
                    "--out", sal.toString(), "--limit", "60", "--methods", "FF_OCCLUSION,FF_GRADIENT,RANDOM");
            Processes.ok(logs.resolve("report.log"), env, 600, "jobs/report", "--saliency", sal.toString(), "--data", idx.toString(),
                    "--out", report.toString());

            List<Path> apps = cluster.applications();
            assertEquals(5, apps.size(), "one standalone application per job: " + apps);
            for (Path app : apps) {
                assertEquals(List.of("0", "1"), StandaloneCluster.executors(app), "two executor processes for " + app);
            }
        }

        SparkSession spark = SparkTests.session();
        Dataset<Row> images = spark.read().parquet(pq.toString());
        assertEquals(ParquetSchema.expected("images.avsc"), ParquetSchema.actual(images));
        assertEquals(6000, images.filter("split = 'train'").count());
        assertEquals(400, images.filter("split = 'test'").count());

        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("model-manifest.schema.json"), SchemaCheck.json(model.resolve("manifest.json"))));
        JsonNode run = SchemaCheck.json(model.resolve("run.json"));
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("run.schema.json"), run));
        assertTrue(run.at("/spark/master").asText().startsWith("spark://127.0.0.1:"), run.toString());
        assertEquals(2, run.at("/spark/partitions").asInt());
        JsonNode eval = SchemaCheck.json(model.resolve("evaluation-test.json"));
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("evaluation.schema.json"), eval));
        assertTrue(eval.get("accuracy").asDouble() > 0.80, "10 epochs on 6,000 images (about 0.89 in one JVM): " + eval.get("accuracy"));

        Dataset<Row> maps = spark.read().parquet(sal.toString());
        assertEquals(ParquetSchema.expected("saliency.avsc"), ParquetSchema.actual(maps));
        assertEquals(180, maps.count());
        assertEquals(60, maps.select("id").distinct().count());
        String html = Files.readString(report.resolve("report.html"));
        assertTrue(html.contains("FF_OCCLUSION") && html.contains("data:image/png;base64,"), "report.html has the maps");
    }
}

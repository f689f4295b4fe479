package org.ffspark.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ffspark.ParquetSchema;
import org.ffspark.SchemaCheck;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.config.ConfigException;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.InputDataException;
import org.ffspark.data.Split;
import org.ffspark.io.Storage;
import org.ffspark.job.EvaluateJob;
import org.ffspark.job.LocalEvaluateJob;
import org.ffspark.job.MlpTrainJob;
import org.ffspark.job.ReportJob;
import org.ffspark.job.SaliencyJob;
import org.ffspark.saliency.SaliencyMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train-mlp -> evaluate (local and Spark) -> saliency (MLP methods, same schema) -> report, with the formats checked. */
class MlpJobsTest {
    @Test
    void trainEvaluateSaliencyAndReportTheMlpBaseline(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 2000, 200);
        String model = tmp.resolve("mlp").toString();
        SparkSession spark = SparkTests.session();
        TrainFfConfig cfg = TrainFfConfig.load(null, List.of("ff.layers=784,64,64", "train.epochs=2", "train.batch-size=50"));
        List<MlpTrainJob.EpochReport> epochs = new ArrayList<>();
        MlpTrainJob.run(spark, Storage.local(), cfg, new MlpTrainJob.Options(data.toString(), model, 2, 3e-3, 5, false), epochs::add);
        assertEquals(2, epochs.size());
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("mlp-model-manifest.schema.json"), SchemaCheck.json(Path.of(model, "manifest.json"))));
        for (String l : Files.readAllLines(Path.of(model, "metrics.jsonl"))) {
            assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("mlp-metrics.schema.json"), new ObjectMapper().readTree(l)));
        }
        double local = LocalEvaluateJob.run(Storage.local(), model, data.toString(), Split.TEST, null).evaluation().accuracy();
        double distributed = EvaluateJob.run(spark, Storage.local(), model, data.toString(), Split.TEST, tmp.resolve("e.json").toString())
                .evaluation().accuracy();
        assertEquals(epochs.get(1).testAccuracy(), local, 1e-12, "the reloaded DL4J model predicts as the trained one");
        assertEquals(local, distributed, 1e-12);
        assertTrue(local > 0.8, "2 epochs on 2,000 images: " + local);
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("evaluation.schema.json"), SchemaCheck.json(Path.of(model, "evaluation-test.json"))));
        assertEquals("softmax output of the backprop MLP", SchemaCheck.json(Path.of(model, "evaluation-test.json")).get("predictionRule").asText());

        String sal = tmp.resolve("saliency").toString();
        long rows = SaliencyJob.run(spark, Storage.local(), new SaliencyJob.Options(model, data.toString(), Split.TEST, sal, List.of(),
                org.ffspark.saliency.SaliencyTarget.PREDICTED, 42, 50, false));
        assertEquals(50 * 4, rows, "MLP_GRADIENT, MLP_GRADIENT_X_INPUT, MLP_INTEGRATED_GRADIENTS and RANDOM");
        Dataset<Row> df = spark.read().parquet(sal);
        assertEquals(ParquetSchema.expected("saliency.avsc"), ParquetSchema.actual(df));
        Row r = df.filter("method = 'MLP_INTEGRATED_GRADIENTS' AND id = 3").first();
        assertNull(r.get(6), "no per-layer maps for the MLP");
        assertEquals(r.getInt(2), r.getInt(4), "target = predicted");
        List<org.ffspark.report.MethodSummary> table = ReportJob.run(spark, Storage.local(), sal, data.toString(), Split.TEST, tmp.resolve("report").toString(), false);
        double random = table.stream().filter(m -> m.method().equals("RANDOM")).findFirst().orElseThrow().deletionArea();
        for (org.ffspark.report.MethodSummary m : table) {
            if (!m.method().equals("RANDOM")) {
                assertTrue(m.deletionArea() < random, m.method() + " deletion " + m.deletionArea() + " vs random " + random);
            }
        }
        assertTrue(Files.readString(tmp.resolve("report/report.html")).contains("MLP baseline saliency report"));

        // FF and MLP maps of the same images in one report.
        String ffModel = TestData.writeSmallModel(tmp.resolve("ff"), "784,32,32", 1, 1000);
        String ffSal = tmp.resolve("saliency-ff").toString();
        SaliencyJob.run(spark, Storage.local(), new SaliencyJob.Options(ffModel, data.toString(), Split.TEST, ffSal,
                List.of(SaliencyMethod.FF_OCCLUSION, SaliencyMethod.RANDOM), org.ffspark.saliency.SaliencyTarget.PREDICTED, 42, 50, false));
        List<org.ffspark.report.MethodSummary> both = ReportJob.run(spark, Storage.local(), sal + "," + ffSal, data.toString(), Split.TEST,
                tmp.resolve("report-both").toString(), false);
        // Each model's random floor stays its own (scored by its own model).
        assertEquals(List.of("FF_OCCLUSION", "MLP_GRADIENT", "MLP_GRADIENT_X_INPUT", "MLP_INTEGRATED_GRADIENTS", "RANDOM_FF", "RANDOM_MLP"),
                both.stream().map(org.ffspark.report.MethodSummary::method).toList());
        String html = Files.readString(tmp.resolve("report-both/report.html"));
        assertTrue(html.contains("Side by side: FF_OCCLUSION (FF) and MLP_INTEGRATED_GRADIENTS (MLP baseline)"));
        assertTrue(Files.exists(tmp.resolve("report-both/images/side-0-MLP_INTEGRATED_GRADIENTS.png")));

        ConfigException wrong = assertThrows(ConfigException.class, () -> SaliencyJob.run(spark, Storage.local(), new SaliencyJob.Options(model,
                data.toString(), Split.TEST, tmp.resolve("s2").toString(), List.of(SaliencyMethod.FF_OCCLUSION), org.ffspark.saliency.SaliencyTarget.PREDICTED, 42, 5, false)));
        assertTrue(wrong.getMessage().contains("does not apply to an MLP baseline model"), wrong.getMessage());
        Path zip = Path.of(model, "mlp.zip");
        byte[] b = Files.readAllBytes(zip);
        b[b.length / 2] ^= 1;
        Files.write(zip, b);
        InputDataException bad = assertThrows(InputDataException.class, () -> MlpStore.read(Storage.local(), model));
        assertTrue(bad.getMessage().contains("checksum mismatch"), bad.getMessage());
    }
}

package org.ffspark.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.ffspark.BrowserTest;
import org.ffspark.SparkTests;
import org.ffspark.TestData;
import org.ffspark.data.Split;
import org.ffspark.io.Storage;
import org.ffspark.saliency.SaliencyMethod;
import org.junit.jupiter.api.io.TempDir;

class ReportJobTest {
    @BrowserTest
    void reportIsSelfContainedAndRendersWithNonBlankImagesInHeadlessChromium(@TempDir Path tmp) throws Exception {
        Path data = TestData.writeMnistSlice(tmp.resolve("idx"), 10, 60);
        String model = TestData.writeSmallModel(tmp, "784,64,64", 2, 3000);
        String sal = tmp.resolve("saliency").toString();
        SaliencyJob.run(SparkTests.session(), Storage.local(), new SaliencyJob.Options(model, data.toString(), Split.TEST, sal,
                new org.ffspark.saliency.SaliencySpec(List.of(SaliencyMethod.FF_OCCLUSION, SaliencyMethod.RANDOM),
                        org.ffspark.saliency.SaliencyTarget.PREDICTED, 42, 4, 2, true), 0, false, org.ffspark.baseline.MlpSaliency.Explained.LOGIT));
        Path out = tmp.resolve("report");
        List<org.ffspark.report.MethodSummary> table = ReportJob.run(SparkTests.session(), Storage.local(), sal, data.toString(), Split.TEST, out.toString(), false);
        assertEquals(List.of("FF_OCCLUSION", "RANDOM"), table.stream().map(org.ffspark.report.MethodSummary::method).toList());
        assertTrue(table.get(0).deletionArea() < table.get(1).deletionArea(), "occlusion deletes faster than random: " + table);
        assertTrue(table.get(0).hasRoad() && table.get(0).roadDeletionArea() < table.get(1).roadDeletionArea(), "and under ROAD");
        assertTrue(table.get(0).deletionHalfWidth() > 0, "a confidence interval");

        String html = Files.readString(out.resolve("report.html"));
        assertTrue(!html.contains("src=\"http") && !html.contains("src=\"/"), "no external resources");
        Matcher im = Pattern.compile("src=\"data:image/png;base64,([^\"]+)\"").matcher(html);
        int images = 0;
        while (im.find()) {
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(im.group(1))));
            assertTrue(distinctColours(png) > 1, "image " + images + " is blank");
            images++;
        }
        assertTrue(images >= 4 + 1 + 2 + 10 + 3, "curves, colour scales, class maps and example images embedded: " + images);
        for (String part : List.of("ROAD deletion", "correctly predicted examples", "misclassified examples", "L2 ", "± ")) {
            assertTrue(html.contains(part), "the report shows " + part);
        }
        assertTrue(Files.exists(out.resolve("images/road-deletion-curves.png")) && Files.exists(out.resolve("images/colour-scale.png")));
        BufferedImage chart = ImageIO.read(out.resolve("images/deletion-curves.png").toFile());
        assertTrue(chart.getWidth() >= 500 && distinctColours(chart) > 20, "an XChart chart with axes, ticks and a legend");

        Path shot = tmp.resolve("shot.png");
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + tmp.resolve("chrome"), "--window-size=1100,1400", "--screenshot=" + shot,
                out.resolve("report.html").toUri().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        assertTrue(Files.exists(shot), "chromium rendered a screenshot: " + Files.readString(tmp.resolve("chromium.log")));
        BufferedImage page = ImageIO.read(shot.toFile());
        assertTrue(distinctColours(page) > 50, "the rendered page shows the images, not a blank page");
    }

    static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> c = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                c.add(img.getRGB(x, y));
                if (c.size() > 1000) {
                    return c.size();
                }
            }
        }
        return c.size();
    }

    @org.junit.jupiter.api.Test
    void classMeansTakeOneTargetPerExampleAndReportsReadParquetDataById(@TempDir Path tmp) throws Exception {
        Path idx = TestData.writeMnistSlice(tmp.resolve("idx"), 10, 30);
        String model = TestData.writeSmallModel(tmp, "784,32,32", 1, 1000);
        org.apache.spark.sql.SparkSession spark = SparkTests.session();
        String parquet = tmp.resolve("parquet").toString();
        IngestJob.run(spark, Storage.local(), idx.toString(), parquet, false);
        String odd = tmp.resolve("odd").toString();
        spark.read().parquet(parquet).filter("split = 'train' OR id % 2 = 1").write().partitionBy("split").parquet(odd);
        Files.copy(Path.of(parquet, org.ffspark.io.ImagesMeta.FILE), Path.of(odd, org.ffspark.io.ImagesMeta.FILE));
        String sal = tmp.resolve("saliency").toString();
        SaliencyJob.run(spark, Storage.local(), new SaliencyJob.Options(model, odd, Split.TEST, sal,
                List.of(SaliencyMethod.FF_OCCLUSION, SaliencyMethod.RANDOM), org.ffspark.saliency.SaliencyTarget.ALL, 42, 0, false));
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df = spark.read().parquet(sal);
        assertEquals(15 * 10 * 2, df.count(), "ten targets per example");
        org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> one = ReportData.oneTarget(df, "FF_OCCLUSION");
        long right = one.filter("true_label = predicted_label").count();
        int[] totals = new int[2];
        for (int g = 0; g < 2; g++) {
            org.ffspark.report.SaliencyReport.ClassMeans m = ReportData.classMeans(one, g == 0, "x");
            totals[g] = m.counts().values().stream().mapToInt(Integer::intValue).sum();
        }
        assertEquals(right, totals[0], "correct examples, one map each");
        assertEquals(15 - right, totals[1], "misclassified examples, one map each");

        Path out = tmp.resolve("report");
        ReportJob.run(spark, Storage.local(), sal, odd, Split.TEST, out.toString(), false);
        try (java.util.stream.Stream<Path> files = Files.list(out.resolve("images"))) {
            List<Long> ids = files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("ex-") && f.endsWith("-image.png"))
                    .map(f -> Long.parseLong(f.split("-")[1])).toList();
            assertTrue(!ids.isEmpty() && ids.stream().allMatch(i -> i % 2 == 1), "examples named by the data's ids: " + ids);
        }
        org.ffspark.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(org.ffspark.config.ConfigException.class,
                () -> ReportJob.run(spark, Storage.local(), sal, TestData.writeMnistSlice(tmp.resolve("few"), 10, 3).toString(), Split.TEST,
                        tmp.resolve("r2").toString(), false));
        assertTrue(e.getMessage().contains("no example with id"), e.getMessage());
    }
}

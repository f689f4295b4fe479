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
                List.of(SaliencyMethod.FF_OCCLUSION, SaliencyMethod.RANDOM), org.ffspark.saliency.SaliencyTarget.PREDICTED, 42, 0, false));
        Path out = tmp.resolve("report");
        List<org.ffspark.report.MethodSummary> table = ReportJob.run(SparkTests.session(), Storage.local(), sal, data.toString(), Split.TEST, out.toString(), false);
        assertEquals(List.of("FF_OCCLUSION", "RANDOM"), table.stream().map(org.ffspark.report.MethodSummary::method).toList());
        assertTrue(table.get(0).deletionArea() < table.get(1).deletionArea(), "occlusion deletes faster than random: " + table);

        String html = Files.readString(out.resolve("report.html"));
        assertTrue(!html.contains("src=\"http") && !html.contains("src=\"/"), "no external resources");
        Matcher im = Pattern.compile("src=\"data:image/png;base64,([^\"]+)\"").matcher(html);
        int images = 0;
        while (im.find()) {
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(im.group(1))));
            assertTrue(distinctColours(png) > 1, "image " + images + " is blank");
            images++;
        }
        assertTrue(images >= 2 + 10 + 3, "curves, class maps and example images embedded: " + images);

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
}

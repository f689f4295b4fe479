package org.ffspark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The pure core never imports Spark, Hadoop or DL4J; dependencies point one way (STYLE.md a). */
class ArchitectureTest {
    private static final List<String> CORE = List.of("config", "data", "ff", "saliency", "report");
    private static final List<String> FORBIDDEN = List.of("org.apache.spark", "org.apache.hadoop", "org.deeplearning4j",
            "org.ffspark.io", "org.ffspark.job", "org.ffspark.train", "org.ffspark.cli", "org.ffspark.baseline", "org.ffspark.registry");

    @Test
    void pureCoreImportsNoSparkHadoopDl4jOrOuterLayers() throws IOException {
        Path src = TestData.projectDir().resolve("src/main/java/org/ffspark");
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (String pkg : CORE) {
            Path dir = src.resolve(pkg);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                    files++;
                    for (String line : Files.readAllLines(f)) {
                        String t = line.trim();
                        if (t.startsWith("import ") && FORBIDDEN.stream().anyMatch(t::contains)) {
                            violations.add(src.relativize(f) + ": " + t);
                        }
                    }
                }
            }
        }
        assertTrue(files > 10, "scanned the core sources");
        assertEquals(List.of(), violations);
    }

    @Test
    void configIsTheBottomLayer() throws IOException {
        Path dir = TestData.projectDir().resolve("src/main/java/org/ffspark/config");
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith("import org.ffspark.")) {
                        assertTrue(line.startsWith("import org.ffspark.config."), f + ": " + line);
                    }
                }
            }
        }
    }
}

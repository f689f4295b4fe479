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

/**
 * The pure core never refers to Spark, Hadoop or DL4J (by import or by fully-qualified name); dependencies point one
 * way; each configuration key is spelled once.
 */
class ArchitectureTest {
    private static final List<String> CORE = List.of("config", "data", "ff", "saliency", "report");
    private static final List<String> FORBIDDEN = List.of("org.apache.spark", "org.apache.hadoop", "org.deeplearning4j",
            "org.ffspark.io", "org.ffspark.job", "org.ffspark.train", "org.ffspark.cli", "org.ffspark.baseline", "org.ffspark.registry", "org.ffspark.ml");

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
                        boolean comment = t.startsWith("*") || t.startsWith("/*") || t.startsWith("//");
                        // imports and fully-qualified references in code alike
                        if (!comment && FORBIDDEN.stream().anyMatch(name -> t.contains(name + "."))) {
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

    @Test
    void everyConfigurationKeyIsSpelledOnceInMainCode() throws IOException {
        Path src = TestData.projectDir().resolve("src/main/java");
        List<String> sources = new ArrayList<>();
        try (Stream<Path> s = Files.walk(src)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                sources.add(Files.readString(f));
            }
        }
        List<String> wrong = new ArrayList<>();
        for (org.ffspark.config.Param<?> p : org.ffspark.config.ConfigKeys.all()) {
            String quoted = "\"" + p.name() + "\"";
            long n = sources.stream().mapToLong(text -> count(text, quoted)).sum();
            if (n != 1) {
                wrong.add(p.name() + " x" + n);
            }
        }
        assertTrue(org.ffspark.config.ConfigKeys.all().size() >= 19);
        assertEquals(List.of(), wrong, "key strings outside their declaration in ConfigKeys");
    }

    private static long count(String text, String needle) {
        long n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** Jobs are wiring: no class of org.ffspark.job over 150 lines; JSON is written from records, not node trees. */
    @Test
    void jobsAreThinAndJsonIsTyped() throws IOException {
        Path main = TestData.projectDir().resolve("src/main/java");
        List<String> long_ = new ArrayList<>();
        try (Stream<Path> s = Files.list(main.resolve("org/ffspark/job"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                int lines = Files.readAllLines(f).size();
                if (lines > 150) {
                    long_.add(f.getFileName() + " " + lines);
                }
            }
        }
        assertEquals(List.of(), long_, "job classes over 150 lines");
        List<String> nodeTrees = new ArrayList<>();
        try (Stream<Path> s = Files.walk(main)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(f).contains("ObjectNode")) {
                    nodeTrees.add(main.relativize(f).toString());
                }
            }
        }
        assertTrue(nodeTrees.size() <= 1, "ObjectNode in at most one class: " + nodeTrees);
    }
}

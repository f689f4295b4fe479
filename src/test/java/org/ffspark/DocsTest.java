package org.ffspark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The README stays a front door: short, linking every page of docs/, and every relative link resolves. */
class DocsTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#]+)(#[^)]*)?\\)");

    @Test
    void readmeIsShortAndLinksEveryDocsPage() throws IOException {
        Path root = TestData.projectDir();
        Path readme = root.resolve("README.md");
        String text = Files.readString(readme);
        assertTrue(Files.readAllLines(readme).size() <= 200, "README.md at most 200 lines");
        assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= 16 * 1024, "README.md at most 16 KB");
        List<String> unlinked = new ArrayList<>();
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                if (!text.contains("(docs/" + p.getFileName() + ")")) {
                    unlinked.add(p.getFileName().toString());
                }
            }
        }
        assertEquals(List.of(), unlinked, "docs pages the README does not link");
    }

    @Test
    void everyRelativeLinkInTheDocsResolves() throws IOException {
        Path root = TestData.projectDir();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            pages.addAll(s.filter(f -> f.toString().endsWith(".md")).sorted().toList());
        }
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("://")) {
                    continue;
                }
                links++;
                if (!Files.exists(page.getParent().resolve(target))) {
                    broken.add(root.relativize(page) + " -> " + target);
                }
            }
        }
        assertTrue(links >= 10, "found the links");
        assertEquals(List.of(), broken);
    }
}

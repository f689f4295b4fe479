package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ffspark.TestData;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/cli.md holds every command's live {@code --help} between two markers. Regenerate it with
 * {@code mvn -q test -Dtest=CliDocTest -Dffspark.regenerate=true}.
 */
class CliDocTest {
    static final String BEGIN = "<!-- generated from --help by CliDocTest: begin -->";
    static final String END = "<!-- generated from --help by CliDocTest: end -->";

    /** The usage help of ffspark and of every command, as Markdown. */
    static String generated() {
        CommandLine cl = Main.commandLine();
        cl.setUsageHelpWidth(110);
        StringBuilder b = new StringBuilder();
        b.append("## ffspark\n\n```text\n").append(cl.getUsageMessage(CommandLine.Help.Ansi.OFF)).append("```\n");
        cl.getSubcommands().forEach((name, sub) -> {
            if (!"help".equals(name)) {
                sub.setUsageHelpWidth(110);
                b.append("\n## ffspark ").append(name).append("\n\n```text\n")
                        .append(sub.getUsageMessage(CommandLine.Help.Ansi.OFF)).append("```\n");
            }
        });
        return b.toString();
    }

    @Test
    void cliReferenceMatchesTheLiveHelp() throws IOException {
        Path doc = TestData.projectDir().resolve("docs/cli.md");
        String text = Files.readString(doc);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "docs/cli.md has the markers");
        String fresh = text.substring(0, begin + BEGIN.length()) + "\n" + generated() + text.substring(end);
        if (Boolean.getBoolean("ffspark.regenerate")) {
            Files.writeString(doc, fresh);
            text = fresh;
        }
        assertEquals(fresh, text, "docs/cli.md is stale: mvn -q test -Dtest=CliDocTest -Dffspark.regenerate=true");
    }
}

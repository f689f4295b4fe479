package org.ffspark.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ffspark.TestData;
import org.ffspark.cli.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The ffspark command lines inside deploy/ (Kubernetes manifests, systemd unit, crontab) are accepted by the
 * CLI as it is now, so a renamed or removed option breaks this test instead of a night's run.
 */
class DeployFilesTest {
    private static final Path DEPLOY = TestData.projectDir().resolve("deploy");

    /** The items of every YAML list that follows a line ending in {@code key:}, one list per occurrence. */
    static List<List<String>> yamlLists(Path file, String key) throws IOException {
        List<List<String>> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(key + ":")) {
                List<String> items = new ArrayList<>();
                for (int j = i + 1; j < lines.size() && lines.get(j).trim().startsWith("- "); j++) {
                    items.add(lines.get(j).trim().substring(2).replace("\"", ""));
                }
                out.add(items);
            }
        }
        return out;
    }

    static void assertParses(String where, List<String> args) {
        CommandLine.ParseResult r = Main.commandLine().parseArgs(args.toArray(new String[0]));
        assertTrue(r.hasSubcommand(), where + ": " + args);
        int i = args.indexOf("--config");
        if (i >= 0) {
            String conf = args.get(i + 1).replace("/opt/ffspark/", "");
            assertTrue(Files.exists(TestData.projectDir().resolve(conf)), where + ": config file " + conf + " is not in the repository");
        }
    }

    @Test
    void sparkApplicationArgumentsAreValidFfsparkCommandLines() throws IOException {
        int n = 0;
        for (String f : List.of("sparkapplication-train.yaml", "sparkapplication-saliency.yaml")) {
            String text = Files.readString(DEPLOY.resolve("k8s").resolve(f));
            assertTrue(text.contains("mainClass: org.ffspark.cli.Main"), f);
            for (List<String> args : yamlLists(DEPLOY.resolve("k8s").resolve(f), "arguments")) {
                assertParses(f, args);
                n++;
            }
        }
        assertEquals(3, n, "train, saliency and report applications");
    }

    @Test
    void theRetrainCronJobSubmitsAValidRetrainCommand() throws IOException {
        List<List<String>> lists = yamlLists(DEPLOY.resolve("k8s/cronjob-retrain.yaml"), "args");
        assertEquals(1, lists.size());
        List<String> submit = lists.get(0);
        assertEquals("org.ffspark.cli.Main", submit.get(submit.indexOf("--class") + 1));
        List<String> app = submit.subList(submit.indexOf("local:///opt/ffspark/ffspark.jar") + 1, submit.size());
        assertEquals("retrain", app.get(0));
        assertParses("cronjob-retrain.yaml", app);
    }

    @Test
    void theSystemdUnitAndCrontabRunValidRetrainCommands() throws IOException {
        String exec = Files.readAllLines(DEPLOY.resolve("systemd/ffspark-retrain.service")).stream()
                .filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        assertParses("ffspark-retrain.service", afterJob(exec));
        String cron = Files.readAllLines(DEPLOY.resolve("cron/ffspark-retrain.cron")).stream()
                .filter(l -> !l.startsWith("#") && !l.isBlank()).findFirst().orElseThrow();
        assertParses("ffspark-retrain.cron", afterJob(cron.substring(0, cron.indexOf(">>"))));
    }

    private static List<String> afterJob(String line) {
        List<String> words = Arrays.asList(line.trim().split("\\s+"));
        int i = 0;
        while (!words.get(i).endsWith("jobs/retrain")) {
            i++;
        }
        List<String> args = new ArrayList<>(List.of("retrain"));
        args.addAll(words.subList(i + 1, words.size()));
        return args;
    }
}

package org.ffspark.job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.Path;
import org.ffspark.data.InputDataException;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.Json;
import org.ffspark.io.MetricsLines;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.report.ComparisonReport;
import org.ffspark.report.Html;

/**
 * The paper's FF-versus-MLP comparison from finished runs: for every data set directory {@code <runs>/<data set>/}
 * holding an FF model ({@code ff/}, trained with {@code --test-each-epoch}) and an MLP baseline ({@code mlp/}),
 * read their per-epoch metrics and write {@code results.md}, {@code results.csv}, {@code results.json}
 * (with each run's per-epoch curve and provenance), accuracy-versus-epoch and
 * accuracy-versus-training-time PNGs and a self-contained {@code report.html}, atomically.
 */
public final class CompareJob {
    private CompareJob() {}

    /** An FF run: round lines of metrics.jsonl; epochs end at the lines carrying testAccuracy. */
    public static ComparisonReport.Run readFf(Storage storage, String dataset, Path dir) {
        List<double[]> points = new ArrayList<>();
        double t = 0;
        long examples = 0;
        Path file = new Path(dir, "metrics.jsonl");
        for (MetricsLines.Round line : lines(storage, file, MetricsLines.Round.class)) {
            t += line.seconds();
            examples += line.examples();
            if (line.testAccuracy() != null) {
                points.add(new double[] {t, line.testAccuracy()});
            }
        }
        if (points.isEmpty()) {
            throw new InputDataException(file.toString(), "no per-epoch test accuracy; train the FF model with --test-each-epoch");
        }
        JsonNode manifest = tree(storage, new Path(dir, ModelStore.MANIFEST));
        return run(storage, dir, manifest, dataset, ffMethod(manifest), points, examples);
    }

    /** "FF" and the model's prediction rule, from its manifest (a run without a manifest yet: plain "FF"). */
    static String ffMethod(JsonNode manifest) {
        if (manifest.isMissingNode()) {
            return "FF";
        }
        return "SOFTMAX".equals(manifest.path("architecture").path("readout").asText()) ? "FF (softmax readout)" : "FF (goodness)";
    }

    /** An MLP baseline run: one line per epoch in metrics.jsonl. */
    public static ComparisonReport.Run readMlp(Storage storage, String dataset, Path dir) {
        List<double[]> points = new ArrayList<>();
        long examples = 0;
        for (MetricsLines.MlpEpoch line : lines(storage, new Path(dir, "metrics.jsonl"), MetricsLines.MlpEpoch.class)) {
            points.add(new double[] {line.elapsedSeconds(), line.testAccuracy()});
            examples += Math.round(line.examplesPerSecond() * line.seconds());
        }
        return run(storage, dir, tree(storage, new Path(dir, ModelStore.MANIFEST)), dataset, "MLP (DL4J)", points, examples);
    }

    /** A run's curve with its provenance: commit and seed from {@code manifest}, BLAS kernels from its run.json (FF only). */
    private static ComparisonReport.Run run(Storage storage, Path dir, JsonNode manifest, String dataset,
                                            String method, List<double[]> points, long examples) {
        double[] s = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] a = points.stream().mapToDouble(p -> p[1]).toArray();
        JsonNode provenance = manifest.path("provenance");
        JsonNode kernels = tree(storage, new Path(dir, "run.json")).path("blas").path("kernels");
        return new ComparisonReport.Run(dataset, method, s, a, examples,
                provenance.hasNonNull("gitCommit") ? provenance.get("gitCommit").asText() : null,
                provenance.hasNonNull("seed") ? provenance.get("seed").asLong() : null,
                kernels.isTextual() ? kernels.asText() : null);
    }

    /** A JSON file as a tree (a missing file: a missing node, whose paths are all missing; a run still training has no manifest yet). */
    private static JsonNode tree(Storage storage, Path file) {
        if (!storage.exists(file)) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        return Json.parse(storage.readAll(file), file.toString());
    }

    private static <T> List<T> lines(Storage storage, Path file, Class<T> type) {
        if (!storage.exists(file)) {
            throw new InputDataException(file.toString(), "missing: not a finished ffspark training run");
        }
        List<T> out = new ArrayList<>();
        for (String l : new String(storage.readAll(file), StandardCharsets.UTF_8).split("\n")) {
            if (!l.isBlank()) {
                out.add(Json.read(l.getBytes(StandardCharsets.UTF_8), type, file.toString()));
            }
        }
        if (out.isEmpty()) {
            throw new InputDataException(file.toString(), "empty");
        }
        return out;
    }

    /** Reads every {@code <runs>/<data set>/{ff,mlp}} pair and writes the comparison into {@code out}. */
    public static List<ComparisonReport.Run> run(Storage storage, String runs, String out, boolean overwrite) {
        Path root = storage.path(runs);
        List<ComparisonReport.Run> all = new ArrayList<>();
        List<Path> sets = new ArrayList<>(storage.list(root));
        sets.sort(null);
        for (Path d : sets) {
            if (storage.exists(new Path(d, "ff/metrics.jsonl")) && storage.exists(new Path(d, "mlp/metrics.jsonl"))) {
                all.add(readFf(storage, d.getName(), new Path(d, "ff")));
                all.add(readMlp(storage, d.getName(), new Path(d, "mlp")));
            }
        }
        if (all.isEmpty()) {
            throw new InputDataException(runs, "no <data set>/ff and <data set>/mlp runs with metrics.jsonl found");
        }
        try (AtomicOutput o = AtomicOutput.begin(storage, storage.path(out), RunIds.next(), overwrite)) {
            storage.writeAll(new Path(o.dir(), "results.md"), ComparisonReport.markdown(all).getBytes(StandardCharsets.UTF_8));
            storage.writeAll(new Path(o.dir(), "results.csv"), ComparisonReport.csv(all).getBytes(StandardCharsets.UTF_8));
            storage.writeAll(new Path(o.dir(), "results.json"), Json.bytes(ComparisonReport.results(all, org.ffspark.io.BuildInfo.gitCommit())));
            Html page = ComparisonReport.page(all);
            page.images().forEach((name, png) -> storage.writeAll(new Path(new Path(o.dir(), "images"), name), png));
            storage.writeAll(new Path(o.dir(), "report.html"), page.render().getBytes(StandardCharsets.UTF_8));
            o.commit();
        }
        return all;
    }
}

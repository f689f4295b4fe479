package org.ffspark.job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.hadoop.fs.Path;
import org.ffspark.data.InputDataException;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.Json;
import org.ffspark.io.MetricsLines;
import org.ffspark.io.Storage;
import org.ffspark.report.Png;

/**
 * The paper's FF-versus-MLP comparison from finished runs: for every data set directory {@code <runs>/<data set>/}
 * holding an FF model ({@code ff/}, trained with {@code --test-each-epoch}) and an MLP baseline ({@code mlp/}),
 * read their per-epoch metrics and write {@code results.md}, {@code results.csv}, accuracy-versus-epoch and
 * accuracy-versus-training-time PNGs and a self-contained {@code report.html}, atomically.
 */
public final class CompareJob {
    /** One training run: its per-epoch test accuracy against cumulative training seconds. */
    public record Run(String dataset, String method, double[] seconds, double[] accuracy, long examples) {
        public double finalAccuracy() {
            return accuracy[accuracy.length - 1];
        }

        public double totalSeconds() {
            return seconds[seconds.length - 1];
        }

        public double examplesPerSecond() {
            return examples / totalSeconds();
        }
    }

    private CompareJob() {}

    /** An FF run: round lines of metrics.jsonl; epochs end at the lines carrying testAccuracy. */
    public static Run readFf(Storage storage, String dataset, Path dir) {
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
        return run(dataset, "FF", points, examples);
    }

    /** An MLP baseline run: one line per epoch in metrics.jsonl. */
    public static Run readMlp(Storage storage, String dataset, Path dir) {
        List<double[]> points = new ArrayList<>();
        long examples = 0;
        for (MetricsLines.MlpEpoch line : lines(storage, new Path(dir, "metrics.jsonl"), MetricsLines.MlpEpoch.class)) {
            points.add(new double[] {line.elapsedSeconds(), line.testAccuracy()});
            examples += Math.round(line.examplesPerSecond() * line.seconds());
        }
        return run(dataset, "MLP (DL4J)", points, examples);
    }

    private static Run run(String dataset, String method, List<double[]> points, long examples) {
        double[] s = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] a = points.stream().mapToDouble(p -> p[1]).toArray();
        return new Run(dataset, method, s, a, examples);
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
    public static List<Run> run(Storage storage, String runs, String out, boolean overwrite) {
        Path root = storage.path(runs);
        List<Run> all = new ArrayList<>();
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
            StringBuilder md = new StringBuilder("| data set | model | epochs | test accuracy | best epoch accuracy | training time (s) | examples/s |\n"
                    + "|---|---|---:|---:|---:|---:|---:|\n");
            StringBuilder csv = new StringBuilder("dataset,model,epochs,test_accuracy,best_accuracy,training_seconds,examples_per_second\n");
            for (Run r : all) {
                double best = java.util.Arrays.stream(r.accuracy()).max().orElse(0);
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f%% | %.2f%% | %.1f | %.0f |%n", r.dataset(), r.method(),
                        r.accuracy().length, 100 * r.finalAccuracy(), 100 * best, r.totalSeconds(), r.examplesPerSecond()));
                csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f,%.6f,%.3f,%.1f%n", r.dataset(), r.method(), r.accuracy().length,
                        r.finalAccuracy(), best, r.totalSeconds(), r.examplesPerSecond()));
            }
            storage.writeAll(new Path(o.dir(), "results.md"), md.toString().getBytes(StandardCharsets.UTF_8));
            storage.writeAll(new Path(o.dir(), "results.csv"), csv.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>ffspark: FF versus MLP</title>"
                    + "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
                    + "padding:4px 8px;text-align:right}</style></head><body><h1>Forward-Forward versus backprop MLP</h1>"
                    + "<p>Test accuracy after each epoch against the epoch and against cumulative training time (evaluation excluded). "
                    + "Red: FF (ffspark); blue: MLP (DL4J ParameterAveraging).</p><table><tr><th>data set</th><th>model</th><th>epochs</th>"
                    + "<th>test accuracy</th><th>best epoch</th><th>training time (s)</th><th>examples/s</th></tr>");
            for (Run r : all) {
                html.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%.2f%%</td><td>%.2f%%</td><td>%.1f</td><td>%.0f</td></tr>",
                        ReportJob.esc(r.dataset()), ReportJob.esc(r.method()), r.accuracy().length, 100 * r.finalAccuracy(),
                        100 * java.util.Arrays.stream(r.accuracy()).max().orElse(0), r.totalSeconds(), r.examplesPerSecond()));
            }
            html.append("</table>");
            for (int i = 0; i < all.size(); i += 2) {
                Run ff = all.get(i);
                Run mlp = all.get(i + 1);
                double lo = Math.floor(20 * Math.min(java.util.Arrays.stream(ff.accuracy()).min().orElse(0),
                        java.util.Arrays.stream(mlp.accuracy()).min().orElse(0))) / 20;
                double[][] epochs = {epochsOf(ff), epochsOf(mlp)};
                double[][] acc = {ff.accuracy(), mlp.accuracy()};
                double maxEpoch = Math.max(ff.accuracy().length, mlp.accuracy().length);
                double maxTime = Math.max(ff.totalSeconds(), mlp.totalSeconds());
                html.append("<h2>").append(ReportJob.esc(ff.dataset())).append("</h2>")
                        .append(ReportJob.img(storage, o, "accuracy-epoch-" + ff.dataset() + ".png",
                                Png.chart(epochs, acc, maxEpoch, lo, 1, 460, 300, "epoch", "test accuracy"), "accuracy against epoch"))
                        .append(ReportJob.img(storage, o, "accuracy-time-" + ff.dataset() + ".png",
                                Png.chart(new double[][] {ff.seconds(), mlp.seconds()}, acc, maxTime, lo, 1, 460, 300, "training seconds", "test accuracy"),
                                "accuracy against training time"));
            }
            html.append("</body></html>");
            storage.writeAll(new Path(o.dir(), "report.html"), html.toString().getBytes(StandardCharsets.UTF_8));
            o.commit();
        }
        return all;
    }

    private static double[] epochsOf(Run r) {
        double[] e = new double[r.accuracy().length];
        for (int i = 0; i < e.length; i++) {
            e[i] = i + 1;
        }
        return e;
    }
}

package org.ffspark.report;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The paper's FF-versus-MLP comparison as files: a Markdown table, a CSV and an HTML page with accuracy against
 * epoch and against training time, from runs read elsewhere (FF then MLP, per data set).
 */
public final class ComparisonReport {
    /**
     * One training run: its per-epoch test accuracy against cumulative training seconds, and where it came from (the
     * commit and seed of its manifest, the BLAS kernels of its run record; null where the run does not record them).
     */
    public record Run(String dataset, String method, double[] seconds, double[] accuracy, long examples,
                      String gitCommit, Long seed, String blasKernels) {
        public double finalAccuracy() {
            return accuracy[accuracy.length - 1];
        }

        public double bestAccuracy() {
            return Arrays.stream(accuracy).max().orElse(0);
        }

        /** The first epoch (1-based) with the best test accuracy. */
        public int bestEpoch() {
            int best = 0;
            for (int e = 1; e < accuracy.length; e++) {
                best = accuracy[e] > accuracy[best] ? e : best;
            }
            return best + 1;
        }

        public double totalSeconds() {
            return seconds[seconds.length - 1];
        }

        public double examplesPerSecond() {
            return examples / totalSeconds();
        }
    }

    private ComparisonReport() {}

    public static String markdown(List<Run> runs) {
        StringBuilder md = new StringBuilder("| data set | model | epochs | test accuracy | best epoch accuracy | training time (s) | examples/s |\n"
                + "|---|---|---:|---:|---:|---:|---:|\n");
        for (Run r : runs) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f%% | %.2f%% | %.1f | %.0f |%n", r.dataset(), r.method(),
                    r.accuracy().length, 100 * r.finalAccuracy(), 100 * r.bestAccuracy(), r.totalSeconds(), r.examplesPerSecond()));
        }
        return md.toString();
    }

    public static String csv(List<Run> runs) {
        StringBuilder csv = new StringBuilder("dataset,model,epochs,test_accuracy,best_accuracy,training_seconds,examples_per_second\n");
        for (Run r : runs) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.6f,%.6f,%.3f,%.1f%n", r.dataset(), r.method(), r.accuracy().length,
                    r.finalAccuracy(), r.bestAccuracy(), r.totalSeconds(), r.examplesPerSecond()));
        }
        return csv.toString();
    }

    /** {@code results.json} (schema {@code data-schemas/compare-results.schema.json}). */
    public record Results(String format, int formatVersion, String gitCommit, List<Row> rows) {}

    /** One run of {@link Results}: accuracies as fractions, the per-epoch test curve, and the run's provenance. */
    public record Row(String dataset, String model, int epochs, double testAccuracy, double bestAccuracy, int bestEpoch,
                      double trainingSeconds, double examplesPerSecond, String gitCommit, Long seed, String blasKernels,
                      List<Double> testAccuracyByEpoch) {}

    /** The comparison as a {@link Results} record; {@code gitCommit} is the commit that wrote it. */
    public static Results results(List<Run> runs, String gitCommit) {
        List<Row> rows = new java.util.ArrayList<>();
        for (Run r : runs) {
            rows.add(new Row(r.dataset(), r.method(), r.accuracy().length, r.finalAccuracy(), r.bestAccuracy(), r.bestEpoch(),
                    r.totalSeconds(), r.examplesPerSecond(), r.gitCommit(), r.seed(), r.blasKernels(),
                    Arrays.stream(r.accuracy()).boxed().toList()));
        }
        return new Results("ffspark-compare", 1, gitCommit, rows);
    }

    /** The page; {@code runs} alternate FF and MLP per data set. */
    public static Html page(List<Run> runs) {
        Html h = new Html("ffspark: FF versus MLP").el("h1", "Forward-Forward versus backprop MLP")
                .el("p", "Test accuracy after each epoch against the epoch and against cumulative training time (evaluation "
                        + "excluded): FF (ffspark) and the MLP (DL4J ParameterAveraging).")
                .raw("<table><tr><th>data set</th><th>model</th><th>epochs</th><th>test accuracy</th><th>best epoch</th>"
                        + "<th>training time (s)</th><th>examples/s</th></tr>");
        for (Run r : runs) {
            h.row(null, r.dataset(), r.method(), r.accuracy().length, String.format(Locale.ROOT, "%.2f%%", 100 * r.finalAccuracy()),
                    String.format(Locale.ROOT, "%.2f%%", 100 * r.bestAccuracy()), String.format(Locale.ROOT, "%.1f", r.totalSeconds()),
                    String.format(Locale.ROOT, "%.0f", r.examplesPerSecond()));
        }
        h.raw("</table>");
        for (int i = 0; i < runs.size(); i += 2) {
            Run ff = runs.get(i);
            Run mlp = runs.get(i + 1);
            double lo = Math.floor(20 * Math.min(Arrays.stream(ff.accuracy()).min().orElse(0),
                    Arrays.stream(mlp.accuracy()).min().orElse(0))) / 20;
            List<Charts.Series> byEpoch = List.of(new Charts.Series(ff.method(), epochs(ff), ff.accuracy()),
                    new Charts.Series(mlp.method(), epochs(mlp), mlp.accuracy()));
            List<Charts.Series> byTime = List.of(new Charts.Series(ff.method(), ff.seconds(), ff.accuracy()),
                    new Charts.Series(mlp.method(), mlp.seconds(), mlp.accuracy()));
            h.el("h2", ff.dataset())
                    .img("accuracy-epoch-" + ff.dataset() + ".png", Charts.lines(ff.dataset() + ": test accuracy by epoch", "epoch",
                            "test accuracy", byEpoch, lo, 1), "accuracy against epoch")
                    .img("accuracy-time-" + ff.dataset() + ".png", Charts.lines(ff.dataset() + ": test accuracy by training time",
                            "training seconds", "test accuracy", byTime, lo, 1), "accuracy against training time");
        }
        return h;
    }

    private static double[] epochs(Run r) {
        double[] e = new double[r.accuracy().length];
        for (int i = 0; i < e.length; i++) {
            e[i] = i + 1;
        }
        return e;
    }
}

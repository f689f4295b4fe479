package org.ffspark.cli;

import java.util.Locale;
import java.util.concurrent.Callable;

import org.ffspark.io.Storage;
import org.ffspark.job.CompareJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ffspark compare}: the paper's FF-versus-MLP results table and plots from finished runs. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Read <runs>/<data set>/ff (ffspark train --test-each-epoch) and <runs>/<data set>/mlp (ffspark train-mlp)",
                "for every data set directory and write results.md, results.csv, results.json (with per-epoch curves and each run's commit and seed), accuracy-against-epoch and",
                "accuracy-against-training-time PNGs and report.html. jobs/bench-compare trains the runs first."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--runs", paramLabel = "DIR", required = true, description = "Directory with one subdirectory per data set.")
    String runs;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory.")
    String out;

    @Mixin
    OverwriteOption output;

    @Override
    public Integer call() {
        for (org.ffspark.report.ComparisonReport.Run r : CompareJob.run(Storage.local(), runs, out, output.overwrite)) {
            System.out.printf(Locale.ROOT, "%-14s %-11s %2d epochs  test %.2f%%  %.1f s  %.0f ex/s%n", r.dataset(), r.method(),
                    r.accuracy().length, 100 * r.finalAccuracy(), r.totalSeconds(), r.examplesPerSecond());
        }
        System.out.println("compare: written to " + out + " (results.md, results.csv, results.json, report.html)");
        return Main.OK;
    }
}

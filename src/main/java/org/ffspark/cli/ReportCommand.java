package org.ffspark.cli;

import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.ffspark.data.Split;
import org.ffspark.io.Storage;
import org.ffspark.job.ReportJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ffspark report}: a self-contained HTML saliency report from the saliency Parquet. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML report (report.html, PNGs embedded and under images/) from the output of 'ffspark saliency'.")
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--saliency", paramLabel = "DIR", required = true, description = "Saliency Parquet directory; several, comma-separated (e.g. of an FF and an MLP model on the same data), give one report with all methods and FF and MLP maps side by side.")
    String saliency;

    @Mixin
    PathOptions.Data dataIn;

    @Option(names = "--split", defaultValue = "test", description = "test or train (default ${DEFAULT-VALUE}).")
    Split split;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory for report.html.")
    String out;

    @Mixin
    SparkOptions sparkOptions;

    @Mixin
    OverwriteOption output;

    @Override
    public Integer call() {
        Split s = split;
        try (SparkSession spark = Sessions.open("report", sparkOptions.master)) {
            for (org.ffspark.report.MethodSummary r : ReportJob.run(spark, new Storage(spark.sparkContext().hadoopConfiguration()), saliency, dataIn.data, s, out, output.overwrite)) {
                System.out.printf("report: %-20s maps %6d  deletion area %.4f  insertion area %.4f%n", r.method(), r.maps(), r.deletionArea(), r.insertionArea());
            }
        }
        System.out.println("report: written to " + out + "/report.html");
        return Main.OK;
    }
}

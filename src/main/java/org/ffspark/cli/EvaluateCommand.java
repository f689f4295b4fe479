package org.ffspark.cli;

import java.util.concurrent.Callable;

import org.ffspark.data.Split;
import org.ffspark.io.Storage;
import org.apache.spark.sql.SparkSession;
import org.ffspark.job.EvaluateJob;
import org.ffspark.job.LocalEvaluateJob;
import org.ffspark.report.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ffspark evaluate}: accuracy, per-class accuracy and confusion matrix of a model. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a model on a data split (IDX directory or ingest Parquet); writes evaluation-<split>.json beside the model (or to --out).",
                "Runs in this JVM by default; --spark (or --master) runs the distributed job, the model broadcast once."})
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    PathOptions.ModelIn modelIn;

    @Mixin
    PathOptions.Data dataIn;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "test or train (default ${DEFAULT-VALUE}).")
    Split split;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the JSON (default: <model>/evaluation-<split>.json).")
    String out;

    @Option(names = "--spark", description = "Run as a Spark job (master from spark-submit, --master, or local[*]).")
    boolean spark;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        Split s = split;
        LocalEvaluateJob.Result r;
        if (spark || sparkOptions.master != null) {
            try (SparkSession session = Sessions.open("evaluate", sparkOptions.master)) {
                r = EvaluateJob.run(session, new Storage(session.sparkContext().hadoopConfiguration()), modelIn.model, dataIn.data, s, out);
            }
        } else {
            r = LocalEvaluateJob.run(Storage.local(), modelIn.model, dataIn.data, s, out);
        }
        Evaluation e = r.evaluation();
        System.out.printf("evaluate: %s on %s/%s: accuracy %.2f%% (%d/%d)%n", modelIn.model, dataIn.data, s.id(), 100 * e.accuracy(), e.correct(), e.total());
        StringBuilder b = new StringBuilder("evaluate: per class");
        for (int c = 0; c < Evaluation.CLASSES; c++) {
            b.append(String.format("  %d: %.1f%%", c, 100 * e.classAccuracy(c)));
        }
        System.out.println(b);
        System.out.println("evaluate: written to " + r.file());
        return Main.OK;
    }
}

package org.ffspark.cli;

import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.ffspark.io.Storage;
import org.ffspark.job.IngestJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ffspark ingest}: IDX files to a Parquet data set. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Convert an IDX data directory (train and test splits) to a Parquet data set partitioned by split.",
                "Schema: data-schemas/images.avsc. Written atomically; an existing output is refused without --overwrite."})
final class IngestCommand implements Callable<Integer> {
    @Mixin
    PathOptions.Data dataIn;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output Parquet directory.")
    String out;

    @Mixin
    SparkOptions sparkOptions;

    @Mixin
    OverwriteOption output;

    @Override
    public Integer call() {
        try (SparkSession spark = Sessions.open("ingest", sparkOptions.master)) {
            IngestJob.Result r = IngestJob.run(spark, new Storage(spark.sparkContext().hadoopConfiguration()), dataIn.data, out, output.overwrite);
            System.out.printf("ingest: %d train + %d test rows written to %s%n", r.trainRows(), r.testRows(), out);
        }
        return Main.OK;
    }
}

package org.ffspark.cli;

import picocli.CommandLine.Option;

/** The paths the commands share, declared once: the data set read, the model read, the model written. */
final class PathOptions {
    private PathOptions() {}

    /** {@code --data}: the data set a command reads. */
    static final class Data {
        @Option(names = "--data", paramLabel = "DIR", required = true,
                description = "Data set: an IDX directory (e.g. data/mnist) or, for train, train-mlp, retrain, evaluate --spark, saliency and report, "
                        + "an ingest Parquet data set; any Hadoop FS URI (file://, hdfs://, s3a://) or a local path.")
        String data;
    }

    /** {@code --model}: a model directory a command reads. */
    static final class ModelIn {
        @Option(names = "--model", paramLabel = "DIR", required = true,
                description = "Model directory written by train or train-mlp (any Hadoop FS URI or a local path).")
        String model;
    }

    /** {@code --model}: the model directory a command writes. */
    static final class ModelOut {
        @Option(names = "--model", paramLabel = "DIR", required = true,
                description = "Output model directory (any Hadoop FS URI or a local path); refused if it exists, unless --overwrite.")
        String model;
    }
}

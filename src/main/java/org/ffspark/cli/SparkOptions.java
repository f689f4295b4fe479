package org.ffspark.cli;

import picocli.CommandLine.Option;

/** The shared Spark flag of the Spark commands. */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL", description = "Spark master when not run by spark-submit (default local[*]).")
    String master;
}

package org.ffspark.cli;

import java.util.Locale;

import org.ffspark.config.ConfigException;
import org.ffspark.train.SparkFfTrainer;
import picocli.CommandLine.Option;

/** The --optimizer-state flag of the Spark FF trainers (train, retrain). */
public final class OptimizerStateOption {
    @Option(names = "--optimizer-state", paramLabel = "MODE", defaultValue = "averaged",
            description = "Spark: 'averaged' (optimizer state averaged with the parameters every round) or 'per-worker' "
                    + "(each partition keeps its own Adam moments / momentum; only parameters are averaged; "
                    + "resume needs the same partition count) (default ${DEFAULT-VALUE}).")
    String value;

    /** The parsed mode; refuses anything else, naming the flag. */
    SparkFfTrainer.OptimizerState mode() {
        String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return SparkFfTrainer.OptimizerState.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--optimizer-state = " + value + ": expected averaged or per-worker");
        }
    }
}

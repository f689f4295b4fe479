package org.ffspark.cli;

import java.util.Locale;

import org.ffspark.config.ConfigException;
import org.ffspark.train.SparkFfTrainer;
import picocli.CommandLine.Option;

/** How the Spark FF trainers (train, retrain) combine the workers' results each round. */
public final class AveragingOptions {
    @Option(names = "--optimizer-state", paramLabel = "MODE", defaultValue = "averaged",
            description = "Spark: 'averaged' (optimizer state averaged with the parameters every round) or 'per-worker' "
                    + "(each partition keeps its own Adam moments / momentum; only parameters are averaged; "
                    + "resume needs the same partition count) (default ${DEFAULT-VALUE}).")
    String value;

    @Option(names = "--block-momentum", paramLabel = "MU", defaultValue = "0",
            description = "Spark: block momentum (BMUF) of the driver's update, in [0, 1): v = MU*v + ETA*(average - start), "
                    + "params = start + v; 0 with --block-lr 1 is plain averaging; try 1 - 1/partitions when each worker "
                    + "takes full-size batches (default ${DEFAULT-VALUE}).")
    float blockMomentum;

    @Option(names = "--block-lr", paramLabel = "ETA", defaultValue = "1",
            description = "Spark: block learning rate ETA of the driver's update, in (0, 10] (default ${DEFAULT-VALUE}).")
    float blockLr;

    /** The parsed optimizer-state mode; refuses anything else, naming the flag. */
    SparkFfTrainer.OptimizerState mode() {
        return parseMode(value);
    }

    /** An {@code --optimizer-state} value ('averaged' or 'per-worker'); refuses anything else, naming the flag. */
    static SparkFfTrainer.OptimizerState parseMode(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return SparkFfTrainer.OptimizerState.valueOf(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--optimizer-state = " + value + ": expected averaged or per-worker");
        }
    }

    /** Checks every flag up front (naming the flag, not the internal setting). */
    void validate() {
        mode();
        ConfigException.require(blockMomentum >= 0f && blockMomentum < 1f, "--block-momentum", blockMomentum, "must be in [0, 1)");
        ConfigException.require(blockLr > 0f && blockLr <= 10f, "--block-lr", blockLr, "must be in (0, 10]");
    }

    /** Refuses the Spark-only flags for a single-JVM run. */
    void requireDefaultsForLocal() {
        ConfigException.require(mode() == SparkFfTrainer.OptimizerState.AVERAGED, "--optimizer-state",
                value, "only without --local (one JVM has one optimizer state)");
        ConfigException.require(blockMomentum == 0f && blockLr == 1f, "--block-momentum/--block-lr",
                blockMomentum + "/" + blockLr, "only without --local (block momentum acts on averaging rounds)");
    }

    SparkFfTrainer.Options options(int averagingPeriod, int checkpointEvery) {
        return new SparkFfTrainer.Options(averagingPeriod, checkpointEvery, -1, mode(), blockMomentum, blockLr);
    }
}

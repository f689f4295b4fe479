package org.ffspark.cli;

import org.ffspark.config.ConfigException;
import picocli.CommandLine.Option;

/** The sharding flags shared by train, retrain and train-mlp, validated in one place. */
public final class ShardOptions {
    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Shards, one worker each (default: the cluster's default parallelism, i.e. its cores).")
    int partitions;

    @Option(names = "--averaging-period", paramLabel = "BATCHES", defaultValue = "10",
            description = "Minibatches per partition between parameter averages (default ${DEFAULT-VALUE}).")
    int averagingPeriod;

    /** Refuses negative partitions and an averaging period below one minibatch, naming the flag. */
    void validate() {
        ConfigException.require(partitions >= 0, "--partitions", partitions, "must be >= 0 (0 = default parallelism)");
        ConfigException.require(averagingPeriod >= 1, "--averaging-period", averagingPeriod, "must be >= 1 minibatch");
    }
}

package org.ffspark.cli;

import org.ffspark.config.ConfigException;
import picocli.CommandLine.Option;

/** The sharding flag shared by train, retrain and train-mlp, validated in one place. */
public final class ShardOptions {
    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Shards, one worker each (default: the cluster's default parallelism, i.e. its cores).")
    int partitions;

    /** Refuses negative partitions, naming the flag. */
    void validate() {
        ConfigException.require(partitions >= 0, "--partitions", partitions, "must be >= 0 (0 = default parallelism)");
    }
}

package org.ffspark.cli;

import java.util.ArrayList;
import java.util.List;

import org.ffspark.config.ConfigException;
import org.ffspark.config.ConfigKeys;
import org.ffspark.config.OptimizerState;
import org.ffspark.config.Param;
import org.ffspark.config.TrainFfConfig;
import picocli.CommandLine.Option;

/**
 * The distributed-training flags of train and retrain: shorthands for the {@code dist.*} configuration keys. A flag
 * given wins over the key's value from {@code --config} and {@code --set}; its value is checked by the key's own
 * rules, and an error names the flag.
 */
public final class DistOptions {
    @Option(names = "--averaging-period", paramLabel = "PERIOD",
            description = "Spark: how long each partition trains between parameter averages: minibatches (10), examples per "
                    + "partition ('3000 examples') or epochs ('0.5 epochs'); shorthand for the key dist.averaging-period.")
    String averagingPeriod;

    @Option(names = "--optimizer-state", paramLabel = "MODE",
            description = "Spark: 'averaged' (optimizer state averaged with the parameters every round) or 'per-worker' "
                    + "(each partition keeps its own Adam moments / momentum; resume needs the same partition count); "
                    + "shorthand for dist.optimizer-state.", converter = OptimizerStateConverter.class)
    OptimizerState optimizerState;

    @Option(names = "--block-momentum", paramLabel = "MU",
            description = "Spark: block momentum (BMUF) of the driver's update, in [0, 1); shorthand for dist.block-momentum.")
    Float blockMomentum;

    @Option(names = "--block-lr", paramLabel = "ETA",
            description = "Spark: block learning rate of the driver's update, in (0, 10]; shorthand for dist.block-lr.")
    Float blockLr;

    @Option(names = "--checkpoint-every", paramLabel = "ROUNDS",
            description = "Spark: checkpoint every N averaging rounds and after the last, 0 = never; shorthand for dist.checkpoint-every.")
    Integer checkpointEvery;

    /** The flags given, checked (naming the flag) and written as {@code key=value} overrides. */
    List<String> overrides() {
        List<String> out = new ArrayList<>();
        if (averagingPeriod != null) {
            out.add(ConfigKeys.AVERAGING_PERIOD.name() + "=" + ConfigKeys.AVERAGING_PERIOD.parse(averagingPeriod, "--averaging-period").format());
        }
        add(out, ConfigKeys.OPTIMIZER_STATE, "--optimizer-state", optimizerState);
        add(out, ConfigKeys.BLOCK_MOMENTUM, "--block-momentum", blockMomentum);
        add(out, ConfigKeys.BLOCK_LR, "--block-lr", blockLr);
        add(out, ConfigKeys.CHECKPOINT_EVERY, "--checkpoint-every", checkpointEvery);
        return out;
    }

    private static <T> void add(List<String> out, Param<T> key, String flag, T value) {
        if (value != null) {
            out.add(key.name() + "=" + key.format(key.check(value, flag)));
        }
    }

    /**
     * Refuses the Spark-only flags with {@code --local}, naming them (the dist.* keys of a configuration file are
     * Spark settings and a single JVM ignores them).
     */
    void requireSingleJvmCompatible(TrainFfConfig cfg) {
        ConfigException.require(optimizerState == null, "--optimizer-state",
                optimizerState == null ? null : OptimizerStateConverter.flagValue(optimizerState),
                "only without --local (one JVM has one optimizer state)");
        ConfigException.require(blockMomentum == null && blockLr == null, "--block-momentum/--block-lr",
                cfg.dist().blockMomentum() + "/" + cfg.dist().blockLearningRate(),
                "only without --local (block momentum acts on averaging rounds)");
    }
}

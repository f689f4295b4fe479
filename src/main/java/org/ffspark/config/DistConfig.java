package org.ffspark.config;

/**
 * How a distributed (Spark) FF run combines its workers: minibatches per partition between averages, checkpoint
 * cadence in rounds and retention, whether examples move between shards, what happens to the optimizer state, and block momentum (BMUF, Chen and Huo 2016): with
 * {@code θ} the parameters a round started from and {@code a} the workers' average, the driver sets
 * {@code v ← μ·v + η·(a − θ)} and {@code θ ← θ + v}; {@code μ = 0, η = 1} is plain averaging, computed as such bit
 * for bit. The keys are declared in {@link ConfigKeys}.
 */
public record DistConfig(AveragingPeriod averagingPeriod, int checkpointEveryRounds, OptimizerState optimizerState,
                         float blockMomentum, float blockLearningRate, int checkpointKeep,
                         int checkpointPermanentEvery, int reshuffleEpochs, boolean splitBatch) implements java.io.Serializable {
    public DistConfig {
        ConfigKeys.RESHUFFLE_EPOCHS.check(reshuffleEpochs);
        ConfigKeys.CHECKPOINT_KEEP.check(checkpointKeep);
        ConfigKeys.CHECKPOINT_PERMANENT_EVERY.check(checkpointPermanentEvery);
        ConfigKeys.AVERAGING_PERIOD.check(java.util.Objects.requireNonNull(averagingPeriod, "averagingPeriod"));
        ConfigKeys.CHECKPOINT_EVERY.check(checkpointEveryRounds);
        ConfigKeys.OPTIMIZER_STATE.check(java.util.Objects.requireNonNull(optimizerState, "optimizerState"));
        ConfigKeys.BLOCK_MOMENTUM.check(blockMomentum);
        ConfigKeys.BLOCK_LR.check(blockLearningRate);
    }

    /** Every key at its declared default. */
    public static DistConfig defaults() {
        return new DistConfig(ConfigKeys.AVERAGING_PERIOD.defaultTyped(), ConfigKeys.CHECKPOINT_EVERY.defaultTyped(),
                ConfigKeys.OPTIMIZER_STATE.defaultTyped(), ConfigKeys.BLOCK_MOMENTUM.defaultTyped(),
                ConfigKeys.BLOCK_LR.defaultTyped(), ConfigKeys.CHECKPOINT_KEEP.defaultTyped(),
                ConfigKeys.CHECKPOINT_PERMANENT_EVERY.defaultTyped(), ConfigKeys.RESHUFFLE_EPOCHS.defaultTyped(),
                ConfigKeys.SPLIT_BATCH.defaultTyped());
    }

    public DistConfig withAveragingPeriod(int batches) {
        return withAveragingPeriod(AveragingPeriod.ofBatches(batches));
    }

    public DistConfig withAveragingPeriod(AveragingPeriod period) {
        return new DistConfig(period, checkpointEveryRounds, optimizerState, blockMomentum, blockLearningRate, checkpointKeep, checkpointPermanentEvery, reshuffleEpochs, splitBatch);
    }

    public DistConfig withCheckpointEvery(int rounds) {
        return new DistConfig(averagingPeriod, rounds, optimizerState, blockMomentum, blockLearningRate, checkpointKeep, checkpointPermanentEvery, reshuffleEpochs, splitBatch);
    }

    public DistConfig withOptimizerState(OptimizerState state) {
        return new DistConfig(averagingPeriod, checkpointEveryRounds, state, blockMomentum, blockLearningRate, checkpointKeep, checkpointPermanentEvery, reshuffleEpochs, splitBatch);
    }

    public DistConfig withBlockMomentum(float momentum, float learningRate) {
        return new DistConfig(averagingPeriod, checkpointEveryRounds, optimizerState, momentum, learningRate, checkpointKeep, checkpointPermanentEvery, reshuffleEpochs, splitBatch);
    }

    /** This configuration with examples dealt out again every {@code epochs} epochs (0 = never). */
    public DistConfig withReshuffleEpochs(int epochs) {
        return new DistConfig(averagingPeriod, checkpointEveryRounds, optimizerState, blockMomentum, blockLearningRate,
                checkpointKeep, checkpointPermanentEvery, epochs, splitBatch);
    }

    /** This configuration with the minibatch shared by the partitions ({@code true}) or each partition's own. */
    public DistConfig withSplitBatch(boolean split) {
        return new DistConfig(averagingPeriod, checkpointEveryRounds, optimizerState, blockMomentum, blockLearningRate,
                checkpointKeep, checkpointPermanentEvery, reshuffleEpochs, split);
    }

    /** The minibatch each of {@code partitions} partitions trains per step, given the configured {@code batch}. */
    public int partitionBatch(int batch, int partitions) {
        return splitBatch ? Math.max(1, Math.round(batch / (float) partitions)) : batch;
    }

    /** Whether the driver applies block momentum (anything but plain averaging). */
    public boolean blockMomentumOn() {
        return blockMomentum != 0f || blockLearningRate != 1f;
    }

}

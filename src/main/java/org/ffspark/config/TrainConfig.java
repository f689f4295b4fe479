package org.ffspark.config;

import static org.ffspark.config.ConfigException.require;

/**
 * How an FF network learns: optimizer and its hyper-parameters, minibatch size, epochs, layer schedule,
 * negative data and the run seed. A run is a pure function of this record, the {@link FfConfig} and the data.
 */
public record TrainConfig(OptimizerKind optimizer, float learningRate, LrSchedule lrSchedule, float lrWarmupEpochs, float beta1,
                          float beta2, float epsilon, float momentum, float weightDecay, int batchSize, int epochs,
                          Schedule schedule, NegativeKind negatives, long seed, WeightDecayMode weightDecayMode,
                          int shiftPixels, float dropout, float peerNorm, float readoutLrScale) implements java.io.Serializable {
    public TrainConfig {
        ConfigKeys.LEARNING_RATE.check(learningRate);
        require(lrWarmupEpochs >= 0 && lrWarmupEpochs <= epochs, ConfigKeys.LR_WARMUP_EPOCHS.name(), lrWarmupEpochs,
                "must be in [0, " + ConfigKeys.EPOCHS.name() + " = " + epochs + "]");
        ConfigKeys.ADAM_BETA1.check(beta1);
        ConfigKeys.ADAM_BETA2.check(beta2);
        ConfigKeys.ADAM_EPSILON.check(epsilon);
        ConfigKeys.SGD_MOMENTUM.check(momentum);
        ConfigKeys.WEIGHT_DECAY.check(weightDecay);
        ConfigKeys.BATCH_SIZE.check(batchSize);
        ConfigKeys.EPOCHS.check(epochs);
        ConfigKeys.SHIFT_PIXELS.check(shiftPixels);
        ConfigKeys.DROPOUT.check(dropout);
        ConfigKeys.PEER_NORM.check(peerNorm);
        ConfigKeys.READOUT_LR_SCALE.check(readoutLrScale);
    }

    /** This configuration with minibatches of {@code batch} examples. */
    public TrainConfig withBatchSize(int batch) {
        return new TrainConfig(optimizer, learningRate, lrSchedule, lrWarmupEpochs, beta1, beta2, epsilon, momentum,
                weightDecay, batch, epochs, schedule, negatives, seed, weightDecayMode, shiftPixels, dropout, peerNorm,
                readoutLrScale);
    }

    /**
     * The learning rate of minibatch {@code batch} (of {@code batchesPerEpoch}) in epoch {@code epoch}: the
     * schedule's value at the batch's start, times the warm-up factor {@code min(1, e / lrWarmupEpochs)} where
     * {@code e} counts epochs up to the end of this batch (so the first batch already learns, at
     * {@code 1 / (batchesPerEpoch · lrWarmupEpochs)} of the rate).
     */
    public float learningRateAt(int epoch, int batch, int batchesPerEpoch) {
        double progress = (epoch + (double) batch / batchesPerEpoch) / epochs;
        float lr = lrSchedule.at(learningRate, progress);
        if (lrWarmupEpochs > 0) {
            double done = epoch + (batch + 1.0) / batchesPerEpoch;
            if (done < lrWarmupEpochs) {
                lr = (float) (lr * (done / lrWarmupEpochs));
            }
        }
        return lr;
    }
}

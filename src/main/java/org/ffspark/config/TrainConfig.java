package org.ffspark.config;

import static org.ffspark.config.ConfigException.require;

/**
 * How an FF network learns: optimizer and its hyper-parameters, minibatch size, epochs, layer schedule,
 * negative data and the run seed. A run is a pure function of this record, the {@link FfConfig} and the data.
 */
public record TrainConfig(OptimizerKind optimizer, float learningRate, LrSchedule lrSchedule, float lrWarmupEpochs, float beta1,
                          float beta2, float epsilon, float momentum, float weightDecay, int batchSize, int epochs,
                          Schedule schedule, NegativeKind negatives, long seed) implements java.io.Serializable {
    public TrainConfig {
        require(learningRate > 0 && Float.isFinite(learningRate), "train.learning-rate", learningRate, "must be a finite number > 0");
        require(lrWarmupEpochs >= 0 && lrWarmupEpochs <= epochs, "train.lr-warmup-epochs", lrWarmupEpochs,
                "must be in [0, train.epochs = " + epochs + "]");
        require(beta1 >= 0 && beta1 < 1, "train.adam.beta1", beta1, "must be in [0, 1)");
        require(beta2 >= 0 && beta2 < 1, "train.adam.beta2", beta2, "must be in [0, 1)");
        require(epsilon > 0, "train.adam.epsilon", epsilon, "must be > 0");
        require(momentum >= 0 && momentum < 1, "train.sgd.momentum", momentum, "must be in [0, 1)");
        require(weightDecay >= 0 && Float.isFinite(weightDecay), "train.weight-decay", weightDecay, "must be >= 0");
        require(batchSize >= 1, "train.batch-size", batchSize, "must be >= 1");
        require(epochs >= 1, "train.epochs", epochs, "must be >= 1");
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

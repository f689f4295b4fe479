package org.ffspark.ff;

import org.ffspark.config.Schedule;
import org.ffspark.config.TrainConfig;
import org.ffspark.data.LabeledImages;

/**
 * Single-JVM FF training: epochs of shuffled minibatches over the whole data set as one shard (index 0), every
 * layer trained on every batch ({@link Schedule#SIMULTANEOUS}) or one layer after another ({@link Schedule#GREEDY}).
 * A pure function of (model, config, data); see {@link ShardTrainer} for how the random draws are derived.
 */
public final class FfFit {
    /** Per-epoch progress. */
    public record EpochReport(int phase, int phases, int epoch, int epochs, LayerStats stats, double seconds,
                              double examplesPerSecond, double etaSeconds) {}

    /** Receives one report per finished epoch. */
    @FunctionalInterface
    public interface Listener {
        void epochDone(EpochReport report);
    }

    private FfFit() {}

    /** Trains {@code model} in place on {@code data} with 1 or 2 threads (same result); returns the same model. */
    public static FfModel fit(FfModel model, TrainConfig train, LabeledImages data, int threads, Listener listener) {
        int layers = model.layout().layers();
        int phases = ShardTrainer.phases(train, layers);
        int n = data.count();
        TrainConfig effective = train.batchSize() <= n ? train : withBatch(train, n);
        int batches = ShardTrainer.batchesPerEpoch(n, effective.batchSize());
        long started = System.nanoTime();
        long totalEpochs = (long) phases * train.epochs();
        try (ShardTrainer shard = new ShardTrainer(model, effective, data, 0, threads)) {
            for (int phase = 0; phase < phases; phase++) {
                for (int epoch = 0; epoch < train.epochs(); epoch++) {
                    long t0 = System.nanoTime();
                    LayerStats stats = new LayerStats(layers);
                    shard.run(phase, epoch, 0, batches, stats);
                    stats.requireFinite("epoch " + (epoch + 1) + (phases > 1 ? " of layer " + (phase + 1) : ""));
                    double secs = (System.nanoTime() - t0) / 1e9;
                    long done = (long) phase * train.epochs() + epoch + 1;
                    double elapsed = (System.nanoTime() - started) / 1e9;
                    double eta = elapsed / done * (totalEpochs - done);
                    if (listener != null) {
                        listener.epochDone(new EpochReport(phase, phases, epoch, train.epochs(), stats, secs, n / secs, eta));
                    }
                }
            }
        }
        return model;
    }

    static TrainConfig withBatch(TrainConfig t, int batch) {
        return new TrainConfig(t.optimizer(), t.learningRate(), t.lrSchedule(), t.lrWarmupEpochs(), t.beta1(), t.beta2(), t.epsilon(),
                t.momentum(), t.weightDecay(), batch, t.epochs(), t.schedule(), t.negatives(), t.seed(), t.weightDecayMode(),
                t.shiftPixels(), t.dropout(), t.peerNorm(), t.readoutLrScale());
    }
}

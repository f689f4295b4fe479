package org.ffspark.ff;

import org.ffspark.config.NegativeKind;
import org.ffspark.config.Schedule;
import org.ffspark.config.TrainConfig;
import org.ffspark.data.LabeledImages;

/**
 * Single-JVM FF training: epochs of shuffled minibatches, negatives drawn per batch, every layer trained on
 * every batch ({@link Schedule#SIMULTANEOUS}) or one layer after another ({@link Schedule#GREEDY}). A pure
 * function of (model, config, data, seed): the shuffle of phase p, epoch e uses {@code Rng(mix(seed, 1, p, e, shard))}
 * and its negatives {@code Rng(mix(seed, 2, p, e, shard))}, with shard 0 here.
 */
public final class FfFit {
    static final long SHUFFLE = 1;
    static final long NEGATIVES = 2;

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
        int phases = train.schedule() == Schedule.GREEDY ? layers : 1;
        int n = data.count();
        int batch = Math.min(train.batchSize(), n);
        int batches = (n + batch - 1) / batch;
        float[] images = new float[batch * LabeledImages.PIXELS];
        int[] pos = new int[batch];
        int[] neg = new int[batch];
        float[] scores = train.negatives() == NegativeKind.HARD ? new float[batch * FfScorer.LABELS] : null;
        long started = System.nanoTime();
        long totalEpochs = (long) phases * train.epochs();
        try (FfTrainer trainer = new FfTrainer(model, train, batch, threads);
             FfScorer scorer = scores == null ? null : new FfScorer(model, batch)) {
            for (int phase = 0; phase < phases; phase++) {
                int first = phases == 1 ? 0 : phase;
                int last = phases == 1 ? layers - 1 : phase;
                for (int epoch = 0; epoch < train.epochs(); epoch++) {
                    long t0 = System.nanoTime();
                    LayerStats stats = new LayerStats(layers);
                    int[] order = identity(n);
                    new Rng(Rng.mix(train.seed(), SHUFFLE, phase, epoch, 0)).shuffleInPlace(order);
                    Rng negRng = new Rng(Rng.mix(train.seed(), NEGATIVES, phase, epoch, 0));
                    for (int bi = 0; bi < batches; bi++) {
                        int from = bi * batch;
                        int count = Math.min(batch, n - from);
                        for (int i = 0; i < count; i++) {
                            int ex = order[from + i];
                            data.copyPixels(ex, images, i * LabeledImages.PIXELS);
                            pos[i] = data.label(ex);
                        }
                        if (scorer != null) {
                            scorer.parametersChanged();
                            scorer.score(images, 0, count, scores);
                            NegativeSampler.hard(pos, scores, count, negRng, neg);
                        } else {
                            NegativeSampler.random(pos, count, negRng, neg);
                        }
                        double progress = (epoch + (double) bi / batches) / train.epochs();
                        float lr = train.lrSchedule().at(train.learningRate(), progress);
                        trainer.step(images, count, pos, neg, first, last, lr, stats);
                    }
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

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}

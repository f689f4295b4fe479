package org.ffspark.ff;

import org.ffspark.config.NegativeKind;
import org.ffspark.config.Schedule;
import org.ffspark.config.TrainConfig;
import org.ffspark.data.LabeledImages;

/**
 * Runs FF learning steps over one shard of the training data: the unit of work of both the single-JVM trainer
 * (one shard holding everything) and a Spark partition. Every random draw is a pure function of
 * (seed, phase, epoch, shard, batch): the order of epoch e is {@code Rng(mix(seed, 1, phase, e, shard))}, the
 * negatives of batch j are drawn from {@code Rng(mix(seed, 2, phase, e, shard, j))}. So a batch can be replayed on
 * its own, a retried Spark task repeats exactly, and one shard on Spark equals the single-JVM run.
 */
public final class ShardTrainer implements AutoCloseable {
    static final long SHUFFLE = 1;
    static final long NEGATIVES = 2;
    static final long SHIFTS = 3;
    static final long DROPOUT = 4;

    private final TrainConfig train;
    private final LabeledImages shard;
    private final int shardIndex;
    private final FfTrainer trainer;
    private final FfScorer scorer;
    private final int batch;
    private final float[] images;
    private final int[] pos;
    private final int[] neg;
    private final float[] scores;
    private final boolean readout;
    private int[] order;
    private long orderKey = Long.MIN_VALUE;

    public ShardTrainer(FfModel model, TrainConfig train, LabeledImages shard, int shardIndex, int threads) {
        this.train = train;
        this.shard = shard;
        this.shardIndex = shardIndex;
        this.batch = train.batchSize();
        this.trainer = new FfTrainer(model, train, batch, threads);
        this.readout = model.layout().hasReadout();
        // With a readout, hard negatives come from its logits, computed by its own training pass anyway.
        this.scorer = train.negatives() != NegativeKind.RANDOM && !readout ? new FfScorer(model, batch) : null;
        this.images = new float[batch * LabeledImages.PIXELS];
        this.pos = new int[batch];
        this.neg = new int[batch];
        this.scores = scorer == null ? null : new float[batch * FfScorer.LABELS];
    }

    public FfTrainer trainer() {
        return trainer;
    }

    /** Number of training phases: 1 for SIMULTANEOUS, one per layer for GREEDY. */
    public static int phases(TrainConfig train, int layers) {
        return train.schedule() == Schedule.GREEDY ? layers : 1;
    }

    /** Minibatches in one epoch of a shard of {@code examples} examples (the last may be short). */
    public static int batchesPerEpoch(int examples, int batchSize) {
        return (examples + batchSize - 1) / batchSize;
    }

    /**
     * Runs batches {@code [fromBatch, toBatch)} of epoch {@code epoch} of {@code phase}, updating the model in
     * place; adds loss and goodness to {@code stats}. Returns the number of batches run.
     */
    public int run(int phase, int epoch, int fromBatch, int toBatch, LayerStats stats) {
        int layers = trainer.model().layout().layers();
        boolean greedy = phases(train, layers) > 1;
        int first = greedy ? phase : 0;
        int last = greedy ? phase : layers - 1;
        int n = shard.count();
        int batches = batchesPerEpoch(n, batch);
        long key = ((long) phase << 32) | epoch;
        if (key != orderKey) {
            order = identity(n);
            new Rng(Rng.mix(train.seed(), SHUFFLE, phase, epoch, shardIndex)).shuffleInPlace(order);
            orderKey = key;
        }
        int done = 0;
        for (int bi = fromBatch; bi < Math.min(toBatch, batches); bi++) {
            int from = bi * batch;
            int count = Math.min(batch, n - from);
            for (int i = 0; i < count; i++) {
                int ex = order[from + i];
                shard.copyPixels(ex, images, i * LabeledImages.PIXELS);
                pos[i] = shard.label(ex);
            }
            if (train.shiftPixels() > 0) {
                Augment.shift(images, count, train.shiftPixels(), new Rng(Rng.mix(train.seed(), SHIFTS, phase, epoch, shardIndex, bi)));
            }
            Rng negRng = new Rng(Rng.mix(train.seed(), NEGATIVES, phase, epoch, shardIndex, bi));
            float lr = train.learningRateAt(epoch, bi, batches);
            if (readout) {
                // The readout learns from the batch as the FF layers see it (shifted, dropped out) and its logits
                // choose the hard negatives: the pass serves both.
                dropout(phase, epoch, bi, count);
                float[] logits = trainer.readoutStep(images, count, pos, lr * train.readoutLrScale(), null);
                negatives(logits, count, negRng);
                trainer.step(images, count, pos, neg, first, last, lr, stats);
                done++;
                continue;
            }
            if (scorer != null) {
                if (greedy) {
                    scorer.limitTo(phase);  // only the layers trained so far vote
                }
                scorer.parametersChanged();
                scorer.score(images, 0, count, scores);
                negatives(scores, count, negRng);
            } else {
                NegativeSampler.random(pos, count, negRng, neg);
            }
            dropout(phase, epoch, bi, count);
            trainer.step(images, count, pos, neg, first, last, lr, stats);
            done++;
        }
        return done;
    }

    /** Dropout of the batch's pixels and the seed of the engine's masks for this batch. */
    private void dropout(int phase, int epoch, int bi, int count) {
        if (train.dropout() > 0f) {
            long seed = Rng.mix(train.seed(), DROPOUT, phase, epoch, shardIndex, bi);
            Augment.dropoutPixels(images, count, train.dropout(), new Rng(Rng.mix(seed, 0)));
            trainer.dropoutSeed(seed);
        }
    }

    private void negatives(float[] labelScores, int count, Rng negRng) {
        switch (train.negatives()) {
            case HARD -> NegativeSampler.hard(pos, labelScores, count, negRng, neg);
            case HARD_SCALED -> NegativeSampler.hardScaled(pos, labelScores, count, negRng, neg);
            default -> NegativeSampler.random(pos, count, negRng, neg);
        }
    }

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Override
    public void close() {
        trainer.close();
        if (scorer != null) {
            scorer.close();
        }
    }
}

package org.ffspark.report;

import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfScorer;
import org.ffspark.ff.Gemm;

/**
 * Classification results over a test set: a 10x10 confusion matrix ({@code counts[true][predicted]}) and the
 * accuracies derived from it. Mutable while counting; merge partial results with {@link #mergeInPlace}.
 */
public final class Evaluation implements java.io.Serializable {
    private static final int CHUNK = 500;

    /** The confusion matrix of FF {@code model} on {@code set}, scored in chunks with {@code blasThreads} BLAS threads. */
    public static Evaluation ofFf(FfModel model, LabeledImages set, int blasThreads) {
        Gemm.init(blasThreads);
        Evaluation e = new Evaluation();
        float[] images = new float[CHUNK * LabeledImages.PIXELS];
        float[] scores = new float[CHUNK * FfScorer.LABELS];
        try (FfScorer scorer = new FfScorer(model, 100)) {
            for (int from = 0; from < set.count(); from += CHUNK) {
                int n = Math.min(CHUNK, set.count() - from);
                for (int i = 0; i < n; i++) {
                    set.copyPixels(from + i, images, i * LabeledImages.PIXELS);
                }
                scorer.score(images, 0, n, scores);
                for (int i = 0; i < n; i++) {
                    e.add(set.label(from + i), FfScorer.argmax(scores, i));
                }
            }
        }
        return e;
    }

    /** As {@link #ofFf(FfModel, LabeledImages, int)} with 2 BLAS threads. */
    public static Evaluation ofFf(FfModel model, LabeledImages set) {
        return ofFf(model, set, 2);
    }

    private static final long serialVersionUID = 1L;
    public static final int CLASSES = 10;
    private final long[][] counts = new long[CLASSES][CLASSES];

    public void add(int truth, int predicted) {
        counts[truth][predicted]++;
    }

    public Evaluation mergeInPlace(Evaluation o) {
        for (int i = 0; i < CLASSES; i++) {
            for (int j = 0; j < CLASSES; j++) {
                counts[i][j] += o.counts[i][j];
            }
        }
        return this;
    }

    public long total() {
        long t = 0;
        for (long[] row : counts) {
            for (long c : row) {
                t += c;
            }
        }
        return t;
    }

    public long correct() {
        long c = 0;
        for (int i = 0; i < CLASSES; i++) {
            c += counts[i][i];
        }
        return c;
    }

    /** Fraction correct in [0,1]; NaN for an empty evaluation. */
    public double accuracy() {
        return (double) correct() / total();
    }

    /** Recall of class {@code c}: correct predictions among examples whose true label is c (NaN if none). */
    public double classAccuracy(int c) {
        long n = 0;
        for (long v : counts[c]) {
            n += v;
        }
        return (double) counts[c][c] / n;
    }

    /** A copy of the confusion matrix, rows = true label, columns = predicted label. */
    public long[][] confusion() {
        long[][] c = new long[CLASSES][];
        for (int i = 0; i < CLASSES; i++) {
            c[i] = counts[i].clone();
        }
        return c;
    }
}

package org.ffspark.ff;

/**
 * Chooses the wrong label of each negative example; never the true one (PAPER.md section 1).
 */
public final class NegativeSampler {
    private NegativeSampler() {}

    /** {@code out[i]} uniform over the 9 labels other than {@code labels[i]}. */
    public static void random(int[] labels, int count, Rng rng, int[] out) {
        for (int i = 0; i < count; i++) {
            out[i] = (labels[i] + 1 + rng.nextInt(FfScorer.LABELS - 1)) % FfScorer.LABELS;
        }
    }

    /**
     * Hard negatives: {@code out[i] = c ≠ labels[i]} with probability proportional to
     * {@code exp(scores[i*10 + c])} (the softmax of the model's FF scores restricted to the wrong labels).
     */
    public static void hard(int[] labels, float[] scores, int count, Rng rng, int[] out) {
        sample(labels, scores, count, rng, out, false);
    }

    /**
     * Scale-free hard negatives: as {@link #hard}, with each example's ten scores divided by their standard
     * deviation first, so multiplying every score by a constant leaves the choice unchanged.
     */
    public static void hardScaled(int[] labels, float[] scores, int count, Rng rng, int[] out) {
        sample(labels, scores, count, rng, out, true);
    }

    private static void sample(int[] labels, float[] scores, int count, Rng rng, int[] out, boolean scaled) {
        double[] w = new double[FfScorer.LABELS];
        for (int i = 0; i < count; i++) {
            int o = i * FfScorer.LABELS;
            double scale = scaled ? 1 / (deviation(scores, o) + 1e-12) : 1;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < FfScorer.LABELS; c++) {
                if (c != labels[i]) {
                    max = Math.max(max, scores[o + c]);
                }
            }
            double total = 0;
            for (int c = 0; c < FfScorer.LABELS; c++) {
                w[c] = c == labels[i] ? 0 : Math.exp((scores[o + c] - max) * scale);
                total += w[c];
            }
            double pick = rng.nextDouble() * total;
            int chosen = -1;
            for (int c = 0; c < FfScorer.LABELS; c++) {
                if (w[c] > 0) {
                    chosen = c;
                    pick -= w[c];
                    if (pick < 0) {
                        break;
                    }
                }
            }
            out[i] = chosen;
        }
    }

    /** The standard deviation of the ten scores at {@code o}. */
    private static double deviation(float[] scores, int o) {
        double mean = 0;
        for (int c = 0; c < FfScorer.LABELS; c++) {
            mean += scores[o + c];
        }
        mean /= FfScorer.LABELS;
        double var = 0;
        for (int c = 0; c < FfScorer.LABELS; c++) {
            double d = scores[o + c] - mean;
            var += d * d;
        }
        return Math.sqrt(var / FfScorer.LABELS);
    }
}

package org.ffspark.saliency;

import org.ffspark.ff.FfScorer;
import org.ffspark.ff.Rng;

/**
 * Deletion and insertion curves of a saliency map (PAPER.md section 4). Pixels 10..783 are ranked by decreasing
 * saliency, ties broken by a shuffle seeded with {@code seed}. Deletion: in 28 steps of 28 pixels, set them to the
 * baseline 0; insertion: start from the all-zero image and put them back in the same order. After each step
 * (and before the first) the target's probability is the softmax of the ten label scores (FF label scores, or
 * the MLP baseline's log-probabilities, so both are judged by the same protocol), giving 29 points
 * at fractions 0, 1/28, ..., 1. Areas are trapezoids over the fraction: lower deletion and higher insertion
 * areas mean a more faithful map. Single-threaded; reuses its buffers.
 */
public final class Faithfulness {
    public static final int STEPS = 28;
    public static final int PER_STEP = 28;
    public static final int POINTS = STEPS + 1;
    /** Ten label scores per image whose softmax is the label probability (FF scores, or an MLP's log-probabilities). */
    @FunctionalInterface
    public interface Scores {
        void score(float[] images, int from, int count, float[] out);
    }

    private final Scores scorer;
    private final float[] images = new float[2 * POINTS * 784];
    private final float[] scores = new float[2 * POINTS * FfScorer.LABELS];
    private final Integer[] order = new Integer[774];
    private final float[] key = new float[784];

    public Faithfulness(FfScorer scorer) {
        this.scorer = scorer::score;
    }

    public Faithfulness(Scores scorer) {
        this.scorer = scorer;
    }

    /** Fills {@code deletion[29]} and {@code insertion[29]} for one image (at {@code image[off..]}) and its map. */
    public void curves(float[] image, int off, float[] map, int target, long seed, float[] deletion, float[] insertion) {
        Rng rng = new Rng(seed);
        for (int i = 10; i < 784; i++) {
            key[i] = rng.nextFloat();   // tie-breaker
            order[i - 10] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Float.compare(map[b], map[a]);
            return c != 0 ? c : Float.compare(key[a], key[b]);
        });
        int del = 0;
        int ins = POINTS * 784;
        System.arraycopy(image, off, images, del, 784);
        java.util.Arrays.fill(images, ins, ins + 784, 0f);
        for (int s = 1; s <= STEPS; s++) {
            int d = del + s * 784;
            int n = ins + s * 784;
            System.arraycopy(images, d - 784, images, d, 784);
            System.arraycopy(images, n - 784, images, n, 784);
            for (int k = (s - 1) * PER_STEP; k < Math.min(774, s * PER_STEP); k++) {
                int px = order[k];
                images[d + px] = 0f;
                images[n + px] = image[off + px];
            }
        }
        scorer.score(images, 0, 2 * POINTS, scores);
        for (int s = 0; s < POINTS; s++) {
            deletion[s] = softmax(scores, s, target);
            insertion[s] = softmax(scores, POINTS + s, target);
        }
    }

    /** Trapezoid area of a 29-point curve over fractions 0..1. */
    public static double area(float[] curve) {
        double a = 0;
        for (int s = 0; s < STEPS; s++) {
            a += (curve[s] + curve[s + 1]) / 2.0;
        }
        return a / STEPS;
    }

    static float softmax(float[] scores, int row, int target) {
        int o = row * FfScorer.LABELS;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < FfScorer.LABELS; c++) {
            max = Math.max(max, scores[o + c]);
        }
        double sum = 0;
        for (int c = 0; c < FfScorer.LABELS; c++) {
            sum += Math.exp(scores[o + c] - max);
        }
        return (float) (Math.exp(scores[o + target] - max) / sum);
    }
}

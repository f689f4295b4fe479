package org.ffspark.saliency;

import org.ffspark.ff.FfScorer;
import org.ffspark.ff.Rng;

/**
 * Deletion and insertion curves of a saliency map (PAPER.md section 4). Pixels 10..783 are ranked by decreasing
 * saliency, ties broken by a shuffle seeded with {@code seed}. Deletion removes them in that order in 28 steps of
 * equal fractions, step s ending with the first {@link #removedAfter(int) round(774 s / 28)} removed, so the last
 * step removes all 774; insertion starts with all 774 removed and puts them back in the same order. A removed pixel
 * is the {@link Baseline}: 0 ({@code ZERO}, the paper's), or ROAD's noisy linear imputation from the pixels still
 * present ({@code ROAD}, {@link NoisyLinearImputer}), which keeps the perturbed images closer to the data. After
 * each step (and before the first) the target's probability is the softmax of the ten label scores (FF label scores,
 * or the MLP baseline's logits or log-probabilities, so both are judged by the same protocol), giving 29 points at
 * fractions 0, 1/28, ..., 1. Areas are trapezoids over the fraction: lower deletion and higher insertion areas mean
 * a more faithful map. Single-threaded; reuses its buffers.
 */
public final class Faithfulness {
    public static final int STEPS = 28;
    public static final int POINTS = STEPS + 1;
    /** The ranked pixels, 10..783 (0..9 carry the label). */
    public static final int RANKED = 774;

    /** What a removed pixel becomes. */
    public enum Baseline {
        /** The paper's: 0, MNIST's background. */
        ZERO,
        /** ROAD's noisy linear imputation from the pixels still present. */
        ROAD
    }
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
    private final boolean[] removed = new boolean[784];
    private final float[] imputed = new float[784];
    private NoisyLinearImputer imputer;

    public Faithfulness(FfScorer scorer) {
        this.scorer = scorer::score;
    }

    public Faithfulness(Scores scorer) {
        this.scorer = scorer;
    }

    /** Fills {@code deletion[29]} and {@code insertion[29]} for one image (at {@code image[off..]}) and its map, baseline 0. */
    public void curves(float[] image, int off, float[] map, int target, long seed, float[] deletion, float[] insertion) {
        curves(image, off, map, target, seed, Baseline.ZERO, deletion, insertion);
    }

    /**
     * Fills {@code deletion[29]} and {@code insertion[29]} for one image (at {@code image[off..]}) and its map under
     * {@code baseline}; ROAD's noise is drawn from {@code seed} too, so the curves are a function of their inputs.
     */
    public void curves(float[] image, int off, float[] map, int target, long seed, Baseline baseline,
                       float[] deletion, float[] insertion) {
        Rng rng = new Rng(seed);
        for (int i = 10; i < 784; i++) {
            key[i] = rng.nextFloat();   // tie-breaker
            order[i - 10] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Float.compare(map[b], map[a]);
            return c != 0 ? c : Float.compare(key[a], key[b]);
        });
        if (baseline == Baseline.ZERO) {
            zeroBaseline(image, off);
        } else {
            imputedBaseline(image, off, rng);
        }
        scorer.score(images, 0, 2 * POINTS, scores);
        for (int s = 0; s < POINTS; s++) {
            deletion[s] = softmax(scores, s, target);
            insertion[s] = softmax(scores, POINTS + s, target);
        }
    }

    /** Ranked pixels removed after step {@code s} of a deletion curve (put back after step s of an insertion curve). */
    public static int removedAfter(int s) {
        return (s * RANKED + STEPS / 2) / STEPS;
    }

    private void zeroBaseline(float[] image, int off) {
        int del = 0;
        int ins = POINTS * 784;
        System.arraycopy(image, off, images, del, 784);
        System.arraycopy(image, off, images, ins, 10);
        java.util.Arrays.fill(images, ins + 10, ins + 784, 0f);
        for (int s = 1; s <= STEPS; s++) {
            int d = del + s * 784;
            int n = ins + s * 784;
            System.arraycopy(images, d - 784, images, d, 784);
            System.arraycopy(images, n - 784, images, n, 784);
            for (int k = removedAfter(s - 1); k < removedAfter(s); k++) {
                int px = order[k];
                images[d + px] = 0f;
                images[n + px] = image[off + px];
            }
        }
    }

    private void imputedBaseline(float[] image, int off, Rng rng) {
        if (imputer == null) {
            imputer = new NoisyLinearImputer();
        }
        imputer.reset();
        java.util.Arrays.fill(removed, false);
        for (int s = 0; s <= STEPS; s++) {
            for (int k = s == 0 ? 0 : removedAfter(s - 1); k < removedAfter(s); k++) {
                removed[order[k]] = true;
            }
            imputer.impute(image, off, removed, rng, imputed);
            System.arraycopy(imputed, 0, images, s * 784, 784);
        }
        imputer.reset();
        for (int i = 10; i < 784; i++) {
            removed[i] = true;
        }
        for (int s = 0; s <= STEPS; s++) {
            for (int k = s == 0 ? 0 : removedAfter(s - 1); k < removedAfter(s); k++) {
                removed[order[k]] = false;
            }
            imputer.impute(image, off, removed, rng, imputed);
            System.arraycopy(imputed, 0, images, (POINTS + s) * 784, 784);
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

package org.ffspark.ff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.ffspark.data.LabeledImages;
import org.junit.jupiter.api.Test;

/** Shift augmentation and scale-free hard negatives. */
class AugmentAndNegativesTest {
    @Test
    void shiftsMovePixelsByTheDrawnOffsetAndFillWithZeros() {
        int n = 200;
        float[] images = new float[n * LabeledImages.PIXELS];
        for (int i = 0; i < n; i++) {
            images[i * LabeledImages.PIXELS + 14 * 28 + 14] = 1f;  // one lit pixel in the middle of each image
        }
        float[] shifted = images.clone();
        Augment.shift(shifted, n, 2, new Rng(7));
        Rng same = new Rng(7);
        int moved = 0;
        for (int i = 0; i < n; i++) {
            int dx = same.nextInt(5) - 2;
            int dy = same.nextInt(5) - 2;
            float[] one = Arrays.copyOfRange(shifted, i * LabeledImages.PIXELS, (i + 1) * LabeledImages.PIXELS);
            float[] expected = new float[LabeledImages.PIXELS];
            expected[(14 + dy) * 28 + 14 + dx] = 1f;
            assertArrayEquals(expected, one, "image " + i + " shifted by " + dx + "," + dy);
            moved += dx != 0 || dy != 0 ? 1 : 0;
        }
        assertTrue(moved > n / 2, "most images move: " + moved);
        float[] again = images.clone();
        Augment.shift(again, n, 2, new Rng(7));
        assertArrayEquals(shifted, again, "the same stream gives the same shifts");
    }

    @Test
    void pixelsShiftedOutAreDroppedAtTheBorder() {
        float[] image = new float[LabeledImages.PIXELS];
        Arrays.fill(image, 1f);
        Rng r = new Rng(3);
        int dx = new Rng(3).nextInt(9) - 4;
        Augment.shift(image, 1, 4, r);
        double sum = 0;
        for (float v : image) {
            sum += v;
        }
        Rng again = new Rng(3);
        int ddx = again.nextInt(9) - 4;
        int ddy = again.nextInt(9) - 4;
        assertEquals(dx, ddx);
        assertEquals((28 - Math.abs(ddx)) * (28 - Math.abs(ddy)), sum, 1e-9);
    }

    @Test
    void scaledHardNegativesDoNotDependOnTheScaleOfTheScores() {
        int n = 500;
        int[] labels = new int[n];
        float[] scores = new float[n * 10];
        Rng g = new Rng(11);
        for (int i = 0; i < n; i++) {
            labels[i] = g.nextInt(10);
            for (int c = 0; c < 10; c++) {
                scores[i * 10 + c] = (float) g.nextDouble();
            }
        }
        float[] big = scores.clone();
        for (int k = 0; k < big.length; k++) {
            big[k] *= 1000f;
        }
        int[] a = new int[n];
        int[] b = new int[n];
        NegativeSampler.hardScaled(labels, scores, n, new Rng(5), a);
        NegativeSampler.hardScaled(labels, big, n, new Rng(5), b);
        assertArrayEquals(a, b, "the same choices at 1000 times the scale");
        int[] plainSmall = new int[n];
        int[] plainBig = new int[n];
        NegativeSampler.hard(labels, scores, n, new Rng(5), plainSmall);
        NegativeSampler.hard(labels, big, n, new Rng(5), plainBig);
        assertNotEquals(Arrays.toString(plainSmall), Arrays.toString(plainBig), "plain HARD does depend on the scale");
        for (int i = 0; i < n; i++) {
            assertNotEquals(labels[i], a[i], "never the true label");
        }
        long distinct = Arrays.stream(a).distinct().count();
        assertTrue(distinct >= 9, "still a distribution over the wrong labels, not an argmax: " + distinct);
    }

    /** The bulk dropout draws exactly what a loop of nextFloat() draws, and leaves the stream where that loop would. */
    @Test
    void bulkDropoutMatchesTheOneDrawAtATimeLoopBitForBit() {
        for (float p : new float[] {0.1f, 0.5f, 0.25f, 1f / 3, 1e-7f, 0.999f}) {
            float[] a = new float[3001];
            Rng fill = new Rng(7);
            for (int i = 0; i < a.length; i++) {
                a[i] = fill.nextFloat() + 0.5f;
            }
            float[] b = a.clone();
            float keep = 1f / (1f - p);
            Rng loop = new Rng(Rng.mix(42, 4));
            for (int i = 5; i < a.length; i++) {
                a[i] = loop.nextFloat() < p ? 0f : a[i] * keep;
            }
            Rng bulk = new Rng(Rng.mix(42, 4));
            bulk.dropout(b, 5, b.length - 5, p, keep);
            assertArrayEquals(a, b, "p = " + p);
            assertEquals(loop.nextLong(), bulk.nextLong(), "stream position after p = " + p);
        }
    }

    @Test
    void dropoutZeroesAboutPAndScalesTheRest() {
        float[] v = new float[100_000];
        Arrays.fill(v, 2f);
        Augment.dropout(v, v.length, 0.25f, new Rng(1));
        int zeros = 0;
        for (float x : v) {
            if (x == 0f) {
                zeros++;
            } else {
                assertEquals(2f / 0.75f, x, 1e-6);
            }
        }
        assertEquals(0.25, zeros / (double) v.length, 0.01);
        float[] images = new float[3 * LabeledImages.PIXELS];
        Arrays.fill(images, 1f);
        Augment.dropoutPixels(images, 3, 0.5f, new Rng(2));
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 10; j++) {
                assertEquals(1f, images[i * LabeledImages.PIXELS + j], "label pixels untouched");
            }
        }
    }
}

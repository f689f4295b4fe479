package org.ffspark.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ffspark.TestData;
import org.ffspark.ff.Rng;
import org.junit.jupiter.api.Test;

/** ROAD's noisy linear imputation: the linear system it solves, its noise, and that removed values never leak in. */
class NoisyLinearImputerTest {
    static final int[] DR = {-1, -1, -1, 0, 0, 1, 1, 1};
    static final int[] DC = {-1, 0, 1, -1, 1, -1, 0, 1};

    @Test
    void removedPixelsAreTheWeightedMeanOfTheirNeighboursPlusSmallNoise() {
        float[] image = new float[784];
        TestData.mnistTest().head(1).copyPixels(0, image, 0);
        boolean[] removed = new boolean[784];
        Rng pick = new Rng(5);
        for (int i = 10; i < 784; i++) {
            removed[i] = pick.nextFloat() < 0.6f;
        }
        NoisyLinearImputer imputer = new NoisyLinearImputer();
        float[] noisy = new float[784];
        imputer.impute(image, 0, removed, new Rng(9), noisy);
        // The noise-free solution satisfies the mean-of-neighbours equation at every removed pixel.
        double[] x = imputer.lastSolution();
        assertTrue(imputer.lastIterations() > 0 && imputer.lastIterations() < 400, "CG iterations " + imputer.lastIterations());
        double noiseSq = 0;
        int n = 0;
        for (int i = 0; i < 784; i++) {
            if (!removed[i]) {
                assertEquals(image[i], noisy[i], "kept pixel " + i);
                continue;
            }
            double sum = 0;
            double weights = 0;
            for (int d = 0; d < 8; d++) {
                int r = i / 28 + DR[d];
                int c = i % 28 + DC[d];
                if (r >= 0 && r < 28 && c >= 0 && c < 28) {
                    double w = DR[d] != 0 && DC[d] != 0 ? 1 / 12.0 : 1 / 6.0;
                    sum += w * x[r * 28 + c];
                    weights += w;
                }
            }
            assertEquals(sum / weights, x[i], 1e-5, "pixel " + i + " is its neighbours' weighted mean");
            noiseSq += (noisy[i] - x[i]) * (noisy[i] - x[i]);
            n++;
        }
        double sd = Math.sqrt(noiseSq / n);
        assertTrue(sd > 0.008 && sd < 0.012, "noise standard deviation " + sd + " is about 0.01");
    }

    @Test
    void removedValuesDoNotLeakAndWarmStartsDoNotChangeTheResult() {
        float[] image = new float[784];
        TestData.mnistTest().head(2).copyPixels(1, image, 0);
        boolean[] removed = new boolean[784];
        for (int i = 300; i < 500; i++) {
            removed[i] = true;
        }
        float[] altered = image.clone();
        for (int i = 300; i < 500; i++) {
            altered[i] = 1f - altered[i];
        }
        float[] a = new float[784];
        float[] b = new float[784];
        new NoisyLinearImputer().impute(image, 0, removed, new Rng(3), a);
        new NoisyLinearImputer().impute(altered, 0, removed, new Rng(3), b);
        assertArrayEquals(a, b, 1e-5f, "the removed pixels' own values do not matter");

        NoisyLinearImputer warm = new NoisyLinearImputer();
        float[] scratch = new float[784];
        boolean[] fewer = new boolean[784];
        for (int i = 300; i < 400; i++) {
            fewer[i] = true;
        }
        warm.impute(image, 0, fewer, new Rng(1), scratch);
        warm.impute(image, 0, removed, new Rng(3), b);
        assertArrayEquals(a, b, 1e-5f, "a warm start converges to the same imputation");
    }

    @Test
    void everythingRemovedIsSolvableAndNothingRemovedIsTheImage() {
        float[] image = new float[784];
        TestData.mnistTest().head(1).copyPixels(0, image, 0);
        boolean[] all = new boolean[784];
        java.util.Arrays.fill(all, 10, 784, true);
        float[] out = new float[784];
        NoisyLinearImputer imputer = new NoisyLinearImputer();
        imputer.impute(image, 0, all, new Rng(2), out);
        for (int i = 10; i < 784; i++) {
            assertTrue(Math.abs(out[i]) < 0.06, "from the (blank) label pixels: near 0, pixel " + i + " = " + out[i]);
        }
        imputer.impute(image, 0, new boolean[784], new Rng(2), out);
        assertArrayEquals(image, out);
    }
}

package org.ffspark.ff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NegativeSamplerTest {
    @Test
    void randomNegativesAreNeverTheTrueLabelAndCoverTheOtherNine() {
        int n = 90_000;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        int[] neg = new int[n];
        NegativeSampler.random(labels, n, new Rng(3), neg);
        int[][] counts = new int[10][10];
        for (int i = 0; i < n; i++) {
            assertNotEquals(labels[i], neg[i]);
            counts[labels[i]][neg[i]]++;
        }
        for (int y = 0; y < 10; y++) {
            for (int c = 0; c < 10; c++) {
                if (c != y) {
                    assertTrue(Math.abs(counts[y][c] - 1000) < 150, "label " + y + " -> " + c + ": " + counts[y][c]);
                }
            }
        }
    }

    @Test
    void hardNegativesFollowTheScoresAndSkipTheTrueLabel() {
        int n = 20_000;
        int[] labels = new int[n];
        float[] scores = new float[n * 10];
        for (int i = 0; i < n; i++) {
            labels[i] = 2;
            scores[i * 10 + 2] = 100f;          // the true label scores highest but must never be drawn
            scores[i * 10 + 5] = (float) Math.log(3); // label 5 three times as likely as each other wrong label
        }
        int[] neg = new int[n];
        NegativeSampler.hard(labels, scores, n, new Rng(9), neg);
        int fives = 0;
        for (int i = 0; i < n; i++) {
            assertNotEquals(2, neg[i]);
            fives += neg[i] == 5 ? 1 : 0;
        }
        assertEquals(3.0 / 11, fives / (double) n, 0.015);
    }
}

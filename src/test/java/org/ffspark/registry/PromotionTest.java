package org.ffspark.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

class PromotionTest {
    private static Promotion.Decision decide(double champion, double candidate, double tolerance) {
        return Promotion.decide(OptionalDouble.of(champion), candidate, tolerance);
    }

    @Test
    void noChampionPromotes() {
        assertTrue(Promotion.decide(OptionalDouble.empty(), 0.1, 0).promote());
    }

    @Test
    void betterIsPromoted() {
        Promotion.Decision d = decide(0.95, 0.96, 0);
        assertTrue(d.promote());
        assertTrue(d.reason().startsWith("better"), d.reason());
    }

    @Test
    void worseBeyondTheToleranceIsKeptAsCandidate() {
        Promotion.Decision d = decide(0.95, 0.94, 0.005);
        assertFalse(d.promote());
        assertTrue(d.reason().contains("change -0.0100, tolerance 0.0050"), d.reason());
        assertFalse(decide(0.95, 0.9499, 0).promote(), "with no tolerance any drop keeps the champion");
    }

    @Test
    void equalAndDropsWithinTheToleranceArePromoted() {
        assertTrue(decide(0.95, 0.95, 0).promote());
        assertTrue(decide(0.95, 0.95, 0).reason().startsWith("equal"));
        assertTrue(decide(0.95, 0.947, 0.005).promote());
        assertTrue(decide(0.95, 0.947, 0.005).reason().startsWith("within"));
        // exactly at the boundary (0.9588 - 0.9538 is not exactly 0.005 in binary): still promoted
        assertTrue(decide(0.9588, 0.9538, 0.005).promote());
        assertFalse(decide(0.9588, 0.9537, 0.005).promote());
    }

    @Test
    void toleranceOutsideItsRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> decide(0.9, 0.9, -0.1));
        assertThrows(IllegalArgumentException.class, () -> decide(0.9, 0.9, 1));
        assertThrows(IllegalArgumentException.class, () -> decide(0.9, 0.9, Double.NaN));
    }
}

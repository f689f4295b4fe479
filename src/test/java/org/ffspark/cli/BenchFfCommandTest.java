package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class BenchFfCommandTest {
    @Test
    void epochTimesSeparateTheWarmUpEpochFromTheRest() {
        BenchFfCommand.EpochTimes t = BenchFfCommand.EpochTimes.of(List.of(3.3, 2.7, 2.4, 2.8, 2.5));
        assertEquals(3.3, t.first());
        assertEquals(2.6, t.medianAfterFirst(), 1e-12);
        assertEquals(2.4, t.bestAfterFirst());
        assertEquals(2.8, t.worstAfterFirst());

        BenchFfCommand.EpochTimes odd = BenchFfCommand.EpochTimes.of(List.of(4.0, 3.0, 1.0, 2.0));
        assertEquals(2.0, odd.medianAfterFirst());
    }

    @Test
    void aSingleEpochIsItsOwnMedian() {
        BenchFfCommand.EpochTimes t = BenchFfCommand.EpochTimes.of(List.of(3.1));
        assertEquals(3.1, t.first());
        assertEquals(3.1, t.medianAfterFirst());
        assertThrows(IllegalArgumentException.class, () -> BenchFfCommand.EpochTimes.of(List.of()));
    }

    @Test
    void mediansOfOddAndEvenCounts() {
        assertEquals(2.0, Medians.of(List.of(3.0, 1.0, 2.0)));
        assertEquals(1.5, Medians.of(List.of(2.0, 1.0)));
        assertThrows(IllegalArgumentException.class, () -> Medians.of(List.of()));
    }
}

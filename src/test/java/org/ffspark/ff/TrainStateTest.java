package org.ffspark.ff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TrainStateTest {
    @Test
    void aWorkersSliceHoldsExactlyItsOwnOptimizerState() {
        float[] m = {1, 2, 3, 10, 20, 30};
        float[] v = {4, 5, 6, 40, 50, 60};
        long[] steps = {7, 8, 70, 80};
        TrainState s = new TrainState(new float[] {9, 9, 9}, m, v, steps, 2, new float[] {1, 1, 1});
        TrainState w1 = s.worker(1);
        assertEquals(1, w1.workers());
        assertEquals(0, w1.params().length);
        assertEquals(0, w1.blockVelocity().length);
        assertArrayEquals(new float[] {10, 20, 30}, w1.firstMoment());
        assertArrayEquals(new float[] {40, 50, 60}, w1.secondMoment());
        assertArrayEquals(new long[] {70, 80}, w1.steps());
        assertArrayEquals(new float[] {1, 2, 3}, s.worker(0).firstMoment());
        assertThrows(IllegalArgumentException.class, () -> s.worker(2));

        TrainState p = s.parametersOnly();
        assertSame(s.params(), p.params());
        assertEquals(0, p.firstMoment().length + p.secondMoment().length + p.steps().length + p.blockVelocity().length);
    }
}

package org.ffspark.ff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FloatArraysTest {
    private static byte[] bytes(Object o) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
        }
        return b.toByteArray();
    }

    private static Object read(byte[] b) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            return in.readObject();
        }
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        if (n > 3) {
            a[0] = Float.NaN;
            a[1] = -0f;
            a[2] = Float.MIN_VALUE;
        }
        return a;
    }

    @Test
    void arraysOfEveryShapeSurviveBitForBit() throws IOException {
        for (int n : new int[] {0, 1, 7, 16384, 16385, 100_003}) {
            float[] a = random(n, n);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(b)) {
                FloatArrays.write(out, a);
                FloatArrays.write(out, null);
                out.writeInt(12345); // what follows is still in place
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
                float[] back = FloatArrays.read(in);
                assertEquals(n, back.length);
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(back[i]), "n " + n + " element " + i);
                }
                assertNull(FloatArrays.read(in));
                assertEquals(12345, in.readInt());
            }
        }
    }

    @Test
    void trainStateRoundTripsWithEveryComponentAndInBulk() throws Exception {
        TrainState s = new TrainState(random(1000, 1), random(2000, 2), random(2000, 3), new long[] {5, 6, 7, 8}, 2,
                random(1000, 4));
        byte[] b = bytes(s);
        TrainState back = (TrainState) read(b);
        assertArrayEquals(s.params(), back.params());
        assertArrayEquals(s.firstMoment(), back.firstMoment());
        assertArrayEquals(s.secondMoment(), back.secondMoment());
        assertArrayEquals(s.steps(), back.steps());
        assertEquals(2, back.workers());
        assertArrayEquals(s.blockVelocity(), back.blockVelocity());
        // 6000 floats as raw 4-byte values plus a small header, not per-element records.
        assertEquals(6000 * 4, b.length, 400);
        TrainState none = (TrainState) read(bytes(new TrainState(new float[3], new float[0], new float[0], new long[2])));
        assertEquals(0, none.blockVelocity().length);
        assertEquals(1, none.workers());
    }

    @Test
    void aCorruptLengthIsRefused() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeInt(-7);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            assertThrows(java.io.StreamCorruptedException.class, () -> FloatArrays.read(in));
        }
    }
}

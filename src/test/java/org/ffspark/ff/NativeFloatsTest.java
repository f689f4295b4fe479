package org.ffspark.ff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NativeFloatsTest {
    @ParameterizedTest(name = "buffer view {0}")
    @ValueSource(booleans = {true, false})
    void copiesAtOffsetsRoundTripAndGemmSeesThem(boolean view) {
        float[] a = new float[12];
        for (int i = 0; i < a.length; i++) {
            a[i] = i + 0.5f;
        }
        try (NativeFloats n = new NativeFloats(40, view); NativeFloats c = new NativeFloats(4, view)) {
            n.put(7, a, 2, 10); // floats 2.5 .. 11.5 at native [7, 17)
            float[] back = new float[14];
            n.get(7, back, 3, 10);
            float[] expect = new float[14];
            System.arraycopy(a, 2, expect, 3, 10);
            assertArrayEquals(expect, back);
            // [1x2] · [2x2] read through pointers at offsets 7 and 9: (2.5, 3.5) · [[4.5, 5.5], [6.5, 7.5]]
            Gemm.sgemm(false, false, 1, 2, 2, n, 7, 2, n, 9, 2, 0f, c, 1, 2);
            float[] out = new float[2];
            c.get(1, out, 0, 2);
            assertArrayEquals(new float[] {2.5f * 4.5f + 3.5f * 6.5f, 2.5f * 5.5f + 3.5f * 7.5f}, out, 1e-5f);
            assertThrows(IndexOutOfBoundsException.class, () -> n.put(35, a, 0, 6));
            assertThrows(IndexOutOfBoundsException.class, () -> n.get(-1, back, 0, 1));
        }
    }
}

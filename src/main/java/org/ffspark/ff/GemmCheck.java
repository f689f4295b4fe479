package org.ffspark.ff;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether this JVM's BLAS kernels compute the engine's GEMMs correctly, and how fast they can go: every shape and
 * transpose flag the engine uses, checked against a float64 product, and the peak (best of several 2048³ SGEMMs
 * on all threads given). A wrong kernel family for a CPU shows here before it shows in a model.
 */
public final class GemmCheck {
    /** One checked product: its shape, flags and the worst error relative to {@code Σ_k |a||b|} (the float64 bound). */
    public record Case(int m, int n, int k, boolean transA, boolean transB, double relativeError) {}

    /** Float32 accumulation over k terms stays far within this of the float64 result for the shapes below. */
    public static final double TOLERANCE = 1e-5;

    private static final int[][] SHAPES = {
        // m, n, k, transA, transB: the engine's forward, weight-gradient and readout products, and odd sizes
        {100, 500, 784, 0, 0}, {784, 500, 100, 1, 0}, {200, 500, 500, 0, 0}, {500, 500, 200, 1, 0},
        {100, 2000, 2000, 0, 0}, {2000, 2000, 100, 1, 0}, {50, 10, 1000, 0, 0}, {1000, 10, 50, 1, 0},
        {37, 61, 113, 0, 1}, {1, 7, 3, 1, 1},
    };

    private GemmCheck() {}

    /** Runs every case with inputs from {@code seed}; see {@link #TOLERANCE}. */
    public static List<Case> run(long seed) {
        List<Case> out = new ArrayList<>();
        Rng rng = new Rng(seed);
        for (int[] s : SHAPES) {
            out.add(check(s[0], s[1], s[2], s[3] == 1, s[4] == 1, rng));
        }
        return out;
    }

    private static Case check(int m, int n, int k, boolean ta, boolean tb, Rng rng) {
        float[] a = random(m * k, rng);
        float[] b = random(k * n, rng);
        float[] c = new float[m * n];
        try (NativeFloats an = new NativeFloats(a.length); NativeFloats bn = new NativeFloats(b.length);
             NativeFloats cn = new NativeFloats(c.length)) {
            an.put(0, a, 0, a.length);
            bn.put(0, b, 0, b.length);
            Gemm.sgemm(ta, tb, m, n, k, an, 0, ta ? m : k, bn, 0, tb ? k : n, 0f, cn, 0, n);
            cn.get(0, c, 0, c.length);
        }
        double worst = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double exact = 0;
                double bound = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[p * m + i] : a[i * k + p];
                    double y = tb ? b[j * k + p] : b[p * n + j];
                    exact += x * y;
                    bound += Math.abs(x * y);
                }
                worst = Math.max(worst, Math.abs(c[i * n + j] - exact) / Math.max(bound, 1e-30));
            }
        }
        return new Case(m, n, k, ta, tb, worst);
    }

    private static float[] random(int len, Rng rng) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) {
            v[i] = 2 * rng.nextFloat() - 1;
        }
        return v;
    }

    /**
     * The BLAS peak on {@code threads} threads: the best of {@code repeats} SGEMMs of {@code size}³ after one
     * warm-up, in GFLOP/s.
     */
    public static double peakGflops(int size, int repeats, int threads) {
        Gemm.init(threads);
        long len = (long) size * size;
        Rng rng = new Rng(7);
        float[] host = random((int) len, rng);
        double best = 0;
        try (NativeFloats a = new NativeFloats(len); NativeFloats b = new NativeFloats(len); NativeFloats c = new NativeFloats(len)) {
            a.put(0, host, 0, host.length);
            b.put(0, host, 0, host.length);
            for (int r = 0; r <= repeats; r++) {
                long t0 = System.nanoTime();
                Gemm.sgemm(false, false, size, size, size, a, 0, size, b, 0, size, 0f, c, 0, size);
                double secs = (System.nanoTime() - t0) / 1e9;
                if (r > 0) {
                    best = Math.max(best, 2.0 * size * size * size / secs / 1e9);
                }
            }
        }
        return best;
    }
}

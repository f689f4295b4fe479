package org.ffspark.ff;

/**
 * A small, fully specified random generator (SplitMix64). Same seed, same sequence on every JVM and every
 * executor: the basis of reproducible runs. Not thread safe; give each task its own, derived with {@link #mix}.
 */
public final class Rng {
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** Derives a well-spread seed from several parts, e.g. (run seed, round, partition). */
    public static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h = scramble(h ^ scramble(p + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    private static long scramble(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += GAMMA;
        return scramble(state);
    }

    /** SplitMix64's increment: draw i after a state s is {@code scramble(s + (i + 1) · GAMMA)}. */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    /**
     * Bulk inverted dropout with exactly the draws of {@code n} calls of {@link #nextFloat} (so the same bits as the
     * loop {@code v[i] = nextFloat() < p ? 0 : v[i] · keep}), at {@code v[off, off+n)}; advances the stream by
     * {@code n}. Each draw is computed from its index rather than from the previous state, which lets the CPU
     * overlap them, and the comparison is made on the 24 drawn bits (exact: they are the float's mantissa).
     */
    void dropout(float[] v, int off, int n, float p, float keep) {
        // nextFloat() < p  <=>  k · 2^-24 < p  <=>  k < ceil(p · 2^24), k the 24 drawn bits (p · 2^24 is exact).
        final long threshold = (long) Math.ceil((double) p * 0x1.0p24);
        final long s = state;
        for (int i = 0; i < n; i++) {
            long k = scramble(s + (i + 1) * GAMMA) >>> 40;
            float x = v[off + i];
            v[off + i] = k < threshold ? 0f : x * keep;
        }
        state = s + n * GAMMA;
    }

    /** Uniform in [0, bound), unbiased. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0: " + bound);
        }
        long limit = Long.MAX_VALUE - Long.MAX_VALUE % bound;
        long r;
        do {
            r = nextLong() >>> 1;
        } while (r >= limit);
        return (int) (r % bound);
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal (Box-Muller from two {@link #nextDouble} draws; no cached second value, so the stream stays simple). */
    public double nextGaussian() {
        double u = 1.0 - nextDouble(); // (0, 1]
        double v = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    /** Fisher-Yates shuffle of {@code a} in place. */
    public void shuffleInPlace(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}

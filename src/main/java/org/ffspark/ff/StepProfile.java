package org.ffspark.ff;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where an engine step's time goes, for {@code bench-ff}: nanoseconds spent in GEMM calls and in the optimizer's
 * update (with its native copies), summed over threads. Off unless a benchmark turns it on; when off it costs one
 * read of a static field per call.
 */
public final class StepProfile {
    private static volatile boolean on;
    private static final LongAdder GEMM = new LongAdder();
    private static final LongAdder UPDATE = new LongAdder();

    private StepProfile() {}

    /** Starts counting from zero. */
    public static void start() {
        GEMM.reset();
        UPDATE.reset();
        on = true;
    }

    /** Stops counting; the totals stay readable. */
    public static void stop() {
        on = false;
    }

    static boolean on() {
        return on;
    }

    static void gemm(long nanos) {
        GEMM.add(nanos);
    }

    static void update(long nanos) {
        UPDATE.add(nanos);
    }

    /** Nanoseconds in GEMM calls since {@link #start}, all threads. */
    public static long gemmNanos() {
        return GEMM.sum();
    }

    /** Nanoseconds in optimizer updates (gradient blocks copied in, weights copied out) since {@link #start}, all threads. */
    public static long updateNanos() {
        return UPDATE.sum();
    }
}

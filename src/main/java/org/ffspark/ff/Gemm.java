package org.ffspark.ff;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Single-precision GEMM on ND4J's CPU backend: the OpenBLAS library that {@code nd4j-native} ships and loads,
 * called directly on preallocated native buffers, since {@code Nd4j.gemm}'s per-op dispatch costs more than the
 * GEMM itself at FF's batch-100 shapes (docs/performance.md; {@code bench-ff} reports both).
 */
public final class Gemm {
    private static volatile boolean initialised;
    /**
     * Floating-point operations issued through {@link #sgemm} in this JVM since start: a process-wide counter read
     * by the benchmarks (on local masters the executors share the driver's JVM). Never used for results.
     */
    private static final java.util.concurrent.atomic.LongAdder FLOPS = new java.util.concurrent.atomic.LongAdder();

    /** GEMM floating-point operations issued in this JVM so far (see {@link #FLOPS}). */
    public static long flopsIssued() {
        return FLOPS.sum();
    }

    private Gemm() {}

    /**
     * Loads ND4J's native backend (and with it OpenBLAS), makes float32 the default, sets the BLAS thread count and,
     * the first time, logs the BLAS build and kernel family. Call once per JVM before any engine work; later calls
     * only change the thread count.
     */
    public static synchronized void init(int blasThreads) {
        boolean first = !initialised;
        if (first) {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
            initialised = true;
        }
        Nd4j.factory().blas().setMaxThreads(Math.max(1, blasThreads));
        if (first) {
            System.err.println("ffspark: " + BlasKernels.current().describe()); // once per JVM, driver and executors
        }
    }

    /** Loads the backend with one BLAS thread if nothing did yet; leaves a thread count set earlier alone. */
    static void ensureLoaded() {
        if (!initialised) {
            init(1);
        }
    }

    /**
     * {@code C[m,n] = op(A) · op(B) + beta · C}, all row-major; {@code op(A)} is [m,k], {@code op(B)} is [k,n].
     * Offsets are in floats.
     */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      NativeFloats a, long aOff, int lda, NativeFloats b, long bOff, int ldb,
                      float beta, NativeFloats c, long cOff, int ldc) {
        ensureLoaded();
        long t0 = StepProfile.on() ? System.nanoTime() : 0;
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, 1f, a.at(aOff), lda, b.at(bOff), ldb, beta, c.at(cOff), ldc);
        if (t0 != 0) {
            StepProfile.gemm(System.nanoTime() - t0);
        }
        FLOPS.add(2L * m * n * k);
    }
}

package org.ffspark.cli;

import java.util.Locale;
import java.util.concurrent.Callable;

import org.ffspark.ff.BlasKernels;
import org.ffspark.ff.GemmCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ffspark blas}: the BLAS build and kernels this JVM runs, a GEMM check against float64, and the peak. */
@Command(name = "blas", mixinStandardHelpOptions = true,
        description = {"Print the BLAS build and kernel family the engine runs on this machine (OpenBLAS's own choice for",
                "the CPU unless OPENBLAS_CORETYPE overrides it), check every GEMM shape the engine uses against a float64",
                "product, and with --peak measure the best of 5 SGEMMs of 2048^3. Exit 1 when a check fails."})
final class BlasCommand implements Callable<Integer> {
    @Option(names = "--peak", description = "Also measure the SGEMM peak (best of 5 products of 2048^3).")
    boolean peak;

    @Option(names = "--threads", paramLabel = "N", description = "BLAS threads for --peak (default: all cores).")
    Integer threads;

    @Override
    public Integer call() {
        System.out.println(BlasKernels.current().describe());
        boolean ok = true;
        for (GemmCheck.Case c : GemmCheck.run(1)) {
            boolean good = c.relativeError() <= GemmCheck.TOLERANCE;
            ok &= good;
            System.out.printf(Locale.ROOT, "gemm %4d x %4d x %4d %s%s  relative error %.2e  %s%n", c.m(), c.n(), c.k(),
                    c.transA() ? "T" : "N", c.transB() ? "T" : "N", c.relativeError(), good ? "ok" : "WRONG");
        }
        if (peak) {
            int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            System.out.printf(Locale.ROOT, "peak %.1f GFLOP/s (best of 5 SGEMMs of 2048^3 on %d threads)%n",
                    GemmCheck.peakGflops(2048, 5, t), t);
        }
        if (!ok) {
            System.err.println("ffspark: blas: the kernels " + BlasKernels.core() + " compute wrong GEMMs on this machine; "
                    + "set " + BlasKernels.CORETYPE_VARIABLE + " to another family (e.g. Haswell) and check again");
            return Main.INTERNAL;
        }
        return Main.OK;
    }
}

package org.ffspark.ff;

import java.util.ArrayList;
import java.util.List;

import org.ffspark.config.FfConfig;
import org.ffspark.config.TrainConfig;
import org.ffspark.data.LabeledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures the FF engine's training speed against the GEMM peak of the same machine, in one run: the engine's
 * GEMM FLOP rate while training, and the time {@code Nd4j.gemm} (2 BLAS threads, preallocated INDArrays) and a
 * direct OpenBLAS call (2 threads) take for exactly the GEMM shapes of one step. Ratios are taken in the same
 * JVM minutes apart, so machine noise mostly cancels.
 */
public final class FfBenchmark {
    /** One configuration's figures; times in milliseconds per step of {@code batch} examples. */
    public record Result(String layers, int batch, int steps, double stepMs, double examplesPerSecond,
                         double gflopsPerStep, double achievedGflops, double nd4jGemmMs, double directGemmMs,
                         double gemmShare, double updateShare) {
        public double ratioToNd4jGemm() {
            return nd4jGemmMs / stepMs;
        }

        public double ratioToDirectGemm() {
            return directGemmMs / stepMs;
        }
    }

    private FfBenchmark() {}

    /** Times {@code steps} training steps (after {@code warmup}) of {@code cfg} on batches of {@code data}. */
    public static Result run(FfConfig cfg, TrainConfig train, LabeledImages data, int warmup, int steps, int threads) {
        int b = train.batchSize();
        FfModel model = FfModel.initialise(cfg, train.seed());
        float[] images = new float[b * LabeledImages.PIXELS];
        int[] pos = new int[b];
        int[] neg = new int[b];
        Rng rng = new Rng(train.seed());
        LayerStats stats = new LayerStats(model.layout().layers());
        double stepMs;
        long flops;
        double gemmShare;
        double updateShare;
        Gemm.init(1);
        try (FfTrainer t = new FfTrainer(model, train, b, threads)) {
            int last = model.layout().layers() - 1;
            flops = t.flopsPerStep(b, 0, last);
            long total = 0;
            for (int s = 0; s < warmup + steps; s++) {
                if (s == warmup) {
                    StepProfile.start();
                }
                int from = (s * b) % Math.max(1, data.count() - b);
                for (int i = 0; i < b; i++) {
                    data.copyPixels(from + i, images, i * LabeledImages.PIXELS);
                    pos[i] = data.label(from + i);
                }
                NegativeSampler.random(pos, b, rng, neg);
                long t0 = System.nanoTime();
                t.step(images, b, pos, neg, 0, last, train.learningRate(), stats);
                if (s >= warmup) {
                    total += System.nanoTime() - t0;
                }
            }
            stepMs = total / 1e6 / steps;
            StepProfile.stop();
            // Shares of the steps' thread time (threads x wall time) spent in GEMM calls and in optimizer updates.
            double threadNanos = (double) total * threads;
            gemmShare = StepProfile.gemmNanos() / threadNanos;
            updateShare = StepProfile.updateNanos() / threadNanos;
        }
        double nd4j = referenceNd4j(model.layout(), b, Math.max(10, steps / 2));
        double direct = referenceDirect(model.layout(), b, Math.max(10, steps / 2));
        Gemm.init(1);
        return new Result(FfConfig.join(cfg.layerSizes()), b, steps, stepMs, b / stepMs * 1000, flops / 1e9,
                flops / stepMs / 1e6, nd4j, direct, gemmShare, updateShare);
    }

    /** The (m, n, k, transA) GEMMs of one full-batch step: forward and weight gradient of every layer. */
    static List<int[]> stepShapes(FfLayout layout, int b) {
        List<int[]> s = new ArrayList<>();
        for (int l = 0; l < layout.layers(); l++) {
            int rows = l == 0 ? b : 2 * b;
            s.add(new int[] {rows, layout.out(l), layout.in(l), 0});
            s.add(new int[] {layout.in(l), layout.out(l), rows, 1});
        }
        return s;
    }

    /** Milliseconds for {@code Nd4j.gemm} of one step's shapes, 2 BLAS threads, preallocated outputs. */
    static double referenceNd4j(FfLayout layout, int b, int reps) {
        Gemm.init(2);
        List<int[]> shapes = stepShapes(layout, b);
        List<INDArray[]> ops = new ArrayList<>();
        for (int[] s : shapes) {
            boolean ta = s[3] == 1;
            INDArray a = ta ? Nd4j.rand(DataType.FLOAT, s[2], s[0]) : Nd4j.rand(DataType.FLOAT, s[0], s[2]);
            ops.add(new INDArray[] {a, Nd4j.rand(DataType.FLOAT, s[2], s[1]), Nd4j.create(DataType.FLOAT, s[0], s[1])});
        }
        return time(reps, () -> {
            for (int i = 0; i < shapes.size(); i++) {
                INDArray[] o = ops.get(i);
                Nd4j.gemm(o[0], o[1], o[2], shapes.get(i)[3] == 1, false, 1.0, 0.0);
            }
        });
    }

    /** Milliseconds for direct OpenBLAS calls of one step's shapes with 2 threads. */
    static double referenceDirect(FfLayout layout, int b, int reps) {
        Gemm.init(2);
        List<int[]> shapes = stepShapes(layout, b);
        long max = 0;
        for (int[] s : shapes) {
            max = Math.max(max, Math.max((long) s[0] * s[2], Math.max((long) s[2] * s[1], (long) s[0] * s[1])));
        }
        try (NativeFloats a = new NativeFloats(max); NativeFloats bb = new NativeFloats(max); NativeFloats c = new NativeFloats(max)) {
            return time(reps, () -> {
                for (int[] s : shapes) {
                    boolean ta = s[3] == 1;
                    Gemm.sgemm(ta, false, s[0], s[1], s[2], a, 0, ta ? s[0] : s[2], bb, 0, s[1], 0f, c, 0, s[1]);
                }
            });
        }
    }

    /**
     * GFLOP/s of single-threaded direct OpenBLAS SGEMM on the forward shapes of a model with {@code rows} rows per
     * layer ([rows, in] x [in, out] for every layer): the per-core reference for inference-heavy jobs.
     */
    public static double referenceForwardGflops(FfLayout layout, int rows) {
        Gemm.init(1);
        long max = 0;
        long flops = 0;
        for (int l = 0; l < layout.layers(); l++) {
            max = Math.max(max, Math.max((long) rows * layout.in(l), Math.max(layout.macs(l), (long) rows * layout.out(l))));
            flops += 2L * rows * layout.macs(l);
        }
        try (NativeFloats a = new NativeFloats(max); NativeFloats b = new NativeFloats(max); NativeFloats c = new NativeFloats(max)) {
            double ms = time(20, () -> {
                for (int l = 0; l < layout.layers(); l++) {
                    Gemm.sgemm(false, false, rows, layout.out(l), layout.in(l), a, 0, layout.in(l), b, 0, layout.out(l), 0f, c, 0, layout.out(l));
                }
            });
            return flops / ms / 1e6;
        }
    }

    private static double time(int reps, Runnable r) {
        for (int i = 0; i < Math.max(3, reps / 3); i++) {
            r.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / 1e6 / reps;
    }
}

package org.ffspark.ff;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
import org.ffspark.config.TrainConfig;

/**
 * One worker's FF learning step (Hinton 2022, section 3.3; PAPER.md section 1): forward positive and negative
 * data through the net, and for each trained layer compute the gradient of its local loss
 * {@code mean_ex[softplus(θ − G(pos)) + softplus(G(neg) − θ)]} with the layer's input held constant, then update.
 *
 * <p>Shapes, for a batch of B images and layer l of width n: rows are [2B] (positives first, then negatives),
 * {@code h [2B, n]}, {@code G [2B]}. With {@code G = s · Σ h²} ({@code s = 1/n} for mean, 1 for sum),
 * {@code ∂loss/∂z = c_r · h} where {@code c_r = 2s·(−σ(θ−G_r))/B} for positives and {@code 2s·σ(G_r−θ)/B} for
 * negatives (ReLU's mask is implicit: h is 0 where z ≤ 0), so {@code ∂W = uᵀ·(c ⊙ h)} and {@code ∂b = Σ_r c_r h_r}.
 *
 * <p>The first layer exploits the label overlay: {@code x ⊕ y} differs between a positive and its negative only
 * in the one-hot, and their norms are equal, so one GEMM of the images serves both halves (and the weight
 * gradient is one GEMM over B rows, plus two row updates per example). That halves the first layer's cost.
 *
 * <p>Determinism across thread counts: a batch is always split into {@value #CHUNKS} fixed chunks whose
 * gradients are summed in chunk order, with single-threaded BLAS inside each chunk. With {@code threads = 2} the
 * chunks run concurrently, with 1 one after the other; the parameters come out bit-identical either way.
 *
 * <p>All buffers are allocated once for {@code maxBatch}. Not thread safe: one caller at a time.
 */
public final class FfTrainer implements AutoCloseable {
    /** Fixed number of gradient chunks per batch; part of the numerical definition of a step. */
    public static final int CHUNKS = 2;

    private final FfModel model;
    private final FfLayout layout;
    private final int maxBatch;
    private final Optimizer optimizer;
    private final NativeWeights weights;
    private final Chunk[] chunks;
    private float[] grad;           // allocated on first use of computeGradients
    private final ExecutorService pool;

    /**
     * @param threads 1 or 2 threads of execution (the result does not depend on it)
     */
    public FfTrainer(FfModel model, TrainConfig train, int maxBatch, int threads) {
        this.model = model;
        this.layout = model.layout();
        this.maxBatch = maxBatch;
        this.optimizer = new Optimizer(train, layout);
        this.weights = new NativeWeights(model);
        int perChunk = (maxBatch + CHUNKS - 1) / CHUNKS;
        this.chunks = new Chunk[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) {
            chunks[i] = new Chunk(perChunk);
        }
        this.pool = threads > 1 ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ffspark-chunk");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    public FfModel model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * One learning step on a batch: gradients for layers {@code firstLayer..lastLayer}, then the optimizer
     * update of those layers at learning rate {@code lr}. Layers below {@code firstLayer} only run forward.
     */
    public void step(float[] images, int count, int[] pos, int[] neg, int firstLayer, int lastLayer, float lr,
                     LayerStats stats) {
        gradients(images, count, pos, neg, firstLayer, lastLayer, stats);
        int from = layout.start(firstLayer);
        int to = layout.end(lastLayer);
        int mid = from + (to - from) / 2;
        // Element-wise, so splitting the range across threads cannot change the result. Each thread also
        // copies its updated range to the native mirror while it is still in cache.
        parallel(() -> update(from, mid, firstLayer, lastLayer, lr), () -> update(mid, to, firstLayer, lastLayer, lr));
        optimizer.countStep(firstLayer, lastLayer);
    }

    private void update(int from, int to, int firstLayer, int lastLayer, float lr) {
        for (int l = firstLayer; l <= lastLayer; l++) {
            int a = Math.max(from, layout.start(l));
            int b = Math.min(to, layout.end(l));
            if (a < b) {
                optimizer.updateInPlace(model.params(), chunks[0].grad, chunks[1].grad, a, b, l, lr);
            }
        }
        weights.sync(from, to);
    }

    /** Call after the model's parameter buffer was replaced from outside (e.g. averaged parameters). */
    public void parametersChanged() {
        weights.syncAll();
    }

    /**
     * Returns the local-loss gradient of layers {@code firstLayer..lastLayer} for a batch, in parameter layout
     * (a buffer owned by this trainer, overwritten by the next call; other layers' entries are meaningless):
     * {@code images [count, 784]} in [0,1] (the 10 label pixels are ignored), true labels {@code pos} and wrong
     * labels {@code neg} ({@code [count]} each). Adds loss and goodness sums to {@code stats}.
     */
    public float[] computeGradients(float[] images, int count, int[] pos, int[] neg, int firstLayer, int lastLayer,
                                    LayerStats stats) {
        gradients(images, count, pos, neg, firstLayer, lastLayer, stats);
        if (grad == null) {
            grad = new float[layout.size()];
        }
        float[] g0 = chunks[0].grad;
        float[] g1 = chunks[1].grad;
        for (int i = layout.start(firstLayer); i < layout.end(lastLayer); i++) {
            grad[i] = g0[i] + g1[i];
        }
        return grad;
    }

    private void gradients(float[] images, int count, int[] pos, int[] neg, int firstLayer, int lastLayer,
                           LayerStats stats) {
        if (count < 1 || count > maxBatch) {
            throw new IllegalArgumentException("batch of " + count + " examples; this trainer holds 1.." + maxBatch);
        }
        if (firstLayer < 0 || lastLayer >= layout.layers() || firstLayer > lastLayer) {
            throw new IllegalArgumentException("layers " + firstLayer + ".." + lastLayer + " of " + layout.layers());
        }
        int half = (count + 1) / 2;
        Chunk a = chunks[0];
        Chunk b = chunks[1];
        parallel(() -> a.run(images, 0, half, count, pos, neg, firstLayer, lastLayer),
                 () -> b.run(images, half, count - half, count, pos, neg, firstLayer, lastLayer));
        stats.mergeInPlace(a.stats).mergeInPlace(b.stats);
    }

    private void parallel(Runnable first, Runnable second) {
        if (pool == null) {
            first.run();
            second.run();
            return;
        }
        Future<?> f = pool.submit(second);
        first.run();
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a gradient chunk", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        }
    }

    /** GEMM floating-point operations of one step on {@code count} examples. */
    public long flopsPerStep(int count, int firstLayer, int lastLayer) {
        long f = 2L * count * layout.macs(0); // shared first-layer forward
        for (int l = 1; l <= lastLayer; l++) {
            f += 2L * 2 * count * layout.macs(l);
        }
        for (int l = firstLayer; l <= lastLayer; l++) {
            f += l == 0 ? 2L * count * layout.macs(0) : 2L * 2 * count * layout.macs(l);
        }
        return f;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        weights.close();
        for (Chunk c : chunks) {
            c.close();
        }
    }

    /** The buffers and the computation for one chunk of a batch. */
    private final class Chunk implements AutoCloseable {
        private static final int D = FfConfig.INPUT_SIZE;
        private final NormKind norm;
        private final GoodnessKind goodness;
        private final float theta;
        final float[] grad;
        final LayerStats stats;
        private final float[] x;        // [b, 784] images, label pixels zero
        private final float[] inv0;     // [b] input normalisation multipliers
        private final int[] rowLabels;  // [2b] pos labels then neg labels
        private final float[] zImg;     // [b, n0]
        private final float[] h;        // [2b, maxW] activities, then dL/dz in place
        private final float[] u;        // [2b, maxW] next layer's normalised input
        private final float[] e;        // [b, n0] first-layer combined gradient rows
        private final float[] sumSq;    // [2b]
        private final float[] coef;     // [2b]
        private final NativeFloats xN;
        private final NativeFloats uN;
        private final NativeFloats zN;
        private final NativeFloats dzN;
        private final NativeFloats gN;

        Chunk(int maxRows) {
            FfConfig cfg = model.config();
            norm = cfg.norm();
            goodness = cfg.goodness();
            theta = cfg.threshold();
            grad = new float[layout.size()];
            stats = new LayerStats(layout.layers());
            int w = cfg.maxWidth();
            int n0 = layout.out(0);
            long maxLayerWeights = 0;
            for (int l = 0; l < layout.layers(); l++) {
                maxLayerWeights = Math.max(maxLayerWeights, layout.macs(l));
            }
            x = new float[maxRows * D];
            inv0 = new float[maxRows];
            rowLabels = new int[2 * maxRows];
            zImg = new float[maxRows * n0];
            h = new float[2 * maxRows * w];
            u = new float[2 * maxRows * w];
            e = new float[maxRows * n0];
            sumSq = new float[2 * maxRows];
            coef = new float[2 * maxRows];
            xN = new NativeFloats((long) maxRows * D);
            uN = new NativeFloats(2L * maxRows * w);
            zN = new NativeFloats(2L * maxRows * w);
            dzN = new NativeFloats(2L * maxRows * w);
            gN = new NativeFloats(maxLayerWeights);
        }

        /**
         * Gradient of examples {@code [first, first+b)} of the batch into {@link #grad}, normalised by the whole
         * batch size {@code batch}; an empty chunk writes zeros.
         */
        void run(float[] images, int first, int b, int batch, int[] pos, int[] neg, int firstLayer, int lastLayer) {
            stats.clear();
            if (b == 0) {
                java.util.Arrays.fill(grad, layout.start(firstLayer), layout.end(lastLayer), 0f);
                return;
            }
            final int rows = 2 * b;
            final float[] p = model.params();
            LayerMath.loadImages(images, first, b, x, inv0, norm);
            xN.put(0, x, 0, b * D);
            for (int r = 0; r < b; r++) {
                rowLabels[r] = pos[first + r];
                rowLabels[b + r] = neg[first + r];
            }
            for (int l = 0; l <= lastLayer; l++) {
                int in = layout.in(l);
                int n = layout.out(l);
                if (l == 0) {
                    Gemm.sgemm(false, false, b, n, D, xN, 0, D, weights.buffer(), layout.weightOffset(0), n, 0f, zN, 0, n);
                    zN.get(0, zImg, 0, b * n);
                    LayerMath.firstLayer(zImg, b, rowLabels, rows, inv0, p, layout.weightOffset(0), layout.biasOffset(0), n, h, sumSq);
                } else {
                    Gemm.sgemm(false, false, rows, n, in, uN, 0, in, weights.buffer(), layout.weightOffset(l), n, 0f, zN, 0, n);
                    zN.get(0, h, 0, rows * n);
                    LayerMath.biasRelu(h, rows, n, p, layout.biasOffset(l), h, sumSq);
                }
                boolean feedsNext = l < lastLayer;
                if (feedsNext) {
                    LayerMath.normalise(h, rows, n, sumSq, norm, u);
                }
                if (l >= firstLayer) {
                    backward(l, b, batch, rows, first, pos, neg);
                }
                if (feedsNext) {
                    uN.put(0, u, 0, rows * n);
                }
            }
        }

        /** Turns h into dL/dz in place and writes layer l's weight and bias gradients. uN holds layer l's input. */
        private void backward(int l, int b, int batch, int rows, int first, int[] pos, int[] neg) {
            final int in = layout.in(l);
            final int n = layout.out(l);
            final double s = goodness.scale(n);
            double lossSum = 0;
            double gPos = 0;
            double gNeg = 0;
            for (int ex = 0; ex < b; ex++) {
                double gp = sumSq[ex] * s;
                double gn = sumSq[b + ex] * s;
                lossSum += LayerMath.softplus(theta - gp) + LayerMath.softplus(gn - theta);
                gPos += gp;
                gNeg += gn;
                coef[ex] = (float) (-LayerMath.sigmoid(theta - gp) * 2 * s / batch);
                coef[b + ex] = (float) (LayerMath.sigmoid(gn - theta) * 2 * s / batch);
            }
            stats.add(l, lossSum, gPos, gNeg, b);

            final int bOff = layout.biasOffset(l);
            final int wOff = layout.weightOffset(l);
            for (int j = 0; j < n; j++) {
                grad[bOff + j] = 0f;
            }
            for (int r = 0; r < rows; r++) {
                float c = coef[r];
                int o = r * n;
                for (int j = 0; j < n; j++) {
                    float d = h[o + j] * c;
                    h[o + j] = d;
                    grad[bOff + j] += d;
                }
            }
            if (l == 0) {
                // ∂W0 = Σ_ex inv_ex · x_exᵀ (dz_pos + dz_neg)  +  the one-hot rows of the label pixels
                for (int ex = 0; ex < b; ex++) {
                    float iv = inv0[ex];
                    int op = ex * n;
                    int on = (b + ex) * n;
                    for (int j = 0; j < n; j++) {
                        e[op + j] = iv * (h[op + j] + h[on + j]);
                    }
                }
                dzN.put(0, e, 0, b * n);
                Gemm.sgemm(true, false, D, n, b, xN, 0, D, dzN, 0, n, 0f, gN, 0, n);
                gN.get(0, grad, wOff, D * n);
                for (int ex = 0; ex < b; ex++) {
                    float iv = inv0[ex];
                    int gp = wOff + pos[first + ex] * n;
                    int gn = wOff + neg[first + ex] * n;
                    int op = ex * n;
                    int on = (b + ex) * n;
                    for (int j = 0; j < n; j++) {
                        grad[gp + j] += iv * h[op + j];
                        grad[gn + j] += iv * h[on + j];
                    }
                }
            } else {
                dzN.put(0, h, 0, rows * n);
                Gemm.sgemm(true, false, in, n, rows, uN, 0, in, dzN, 0, n, 0f, gN, 0, n);
                gN.get(0, grad, wOff, in * n);
            }
        }

        @Override
        public void close() {
            xN.close();
            uN.close();
            zN.close();
            dzN.close();
            gN.close();
        }
    }
}

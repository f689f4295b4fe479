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
 * <p>A step has two phases with fixed work splits, each run by two threads or, with {@code threads = 1}, one
 * after the other; every result is computed the same way either way, so the parameters come out bit-identical.
 * <ol>
 *   <li>Forward ({@value #CHUNKS} row chunks of the batch, or one up to {@link #ONE_CHUNK_MAX} examples): each chunk
 *       runs its examples through all layers and writes every trained layer's input rows and {@code ∂loss/∂z} rows into
 *       shared per-layer buffers.</li>
 *   <li>Gradient and update (two halves of each weight matrix's rows): one GEMM per half over all rows of the
 *       batch writes {@code ∂W} straight into a native gradient buffer in parameter layout; the optimizer then
 *       streams it through a small heap block and writes the updated weights to the GEMMs' native mirror in the
 *       same pass. No per-chunk gradient copies, no summing of partial gradients.</li>
 * </ol>
 *
 * <p>Peer normalisation ({@code train.peer-norm} λ) adds {@code λ/(1−m)·Σ_j (r_j − r̄)²} to each trained layer's
 * loss, {@code r} the running mean of each unit's activity on positive rows (kept after the optimizer's moments);
 * its gradient needs the whole batch's mean, so the two chunks then meet once per layer. The softmax readout
 * ({@code ff.readout}) trains in {@link #readoutStep}, on its own pass of the batch with the neutral label; a step
 * right after it on the same image rows takes that pass's first-layer product {@code x · W0} instead of computing it
 * again (the same GEMM on the same operands, so the same bits; the readout's update leaves W0 alone).
 *
 * <p>All buffers are allocated once for {@code maxBatch}. Not thread safe: one caller at a time.
 */
public final class FfTrainer implements AutoCloseable {
    /** Fixed number of forward row chunks per batch and of row halves per weight gradient. */
    public static final int CHUNKS = 2;
    /**
     * Batches of at most this many examples run their forward pass (and the readout's) as one chunk. Each forward GEMM
     * packs the whole weight matrix whatever its row count, so at a few rows per chunk packing costs as much as the
     * arithmetic: one chunk does that once (1.23x the examples/s on one thread for batch 25, 0.85x on two threads,
     * docs/performance.md). A function of the batch size only, so one and two threads still compute the same bits.
     */
    static final int ONE_CHUNK_MAX = 32;
    /** Floats moved from the native gradient to the heap per optimizer block (stays in cache for the update). */
    private static final int BLOCK = 2048;
    private static final int D = FfConfig.INPUT_SIZE;
    private static final int LABELS = 10;

    private final FfModel model;
    private final FfLayout layout;
    private final int maxBatch;
    private final Optimizer optimizer;
    private final NativeWeights weights;
    private final Chunk[] chunks;
    private final Half[] halves;
    /** Per layer: its input rows (layer 0: images [B, 784]; others: normalised activities [2B, in]), chunk 0 first. */
    private final NativeFloats[] inputs;
    /** Per layer: ∂loss/∂z rows (layer 0: the combined rows e [B, n0]; others [2B, n]), chunk 0 first. */
    private final NativeFloats[] deltas;
    /** ∂loss/∂W of every layer in parameter layout (bias entries unused). */
    private final NativeFloats gradN;
    /**
     * The gradient in parameter layout on the heap, filled block by block from {@link #gradN} just before the
     * optimizer reads it (so it stays in cache); also what {@link #computeGradients} returns.
     */
    private final float[] grad;
    private final ExecutorService pool;
    private final int oneChunkMax;
    /** Dropout probability of the deeper layers' inputs (the image's is applied by the caller), and its masks' seed. */
    private final float dropout;
    private long dropoutSeed;
    /** Peer normalisation's lambda (0 = off), and per trained layer the step's new running means and their gradient. */
    private final float peer;
    private final float[][] runningNew;
    private final float[][] peerGrad;
    /** The softmax readout's passes (one per chunk) and their weight gradients; null without a readout. */
    private final NeutralForward[] neutral;
    private final NativeFloats[] readoutGradN;
    private final float[] readoutLogits;
    /**
     * The images array and count of the last readout pass, while its first-layer products {@code x · W0} still hold
     * for the next {@link #step} on the same batch (the readout's update leaves W0 alone); null once used or stale.
     */
    private float[] neutralImages;
    private int neutralCount;
    /** Momentum of peer normalisation's running means (Hinton's Matlab, loeweX). */
    public static final float PEER_MOMENTUM = 0.9f;

    /**
     * @param threads 1 or 2 threads of execution (the result does not depend on it)
     */
    public FfTrainer(FfModel model, TrainConfig train, int maxBatch, int threads) {
        this(model, train, maxBatch, threads, ONE_CHUNK_MAX);
    }

    /** As above, with batches of up to {@code oneChunkMax} examples in one chunk (tests check both ways of splitting). */
    FfTrainer(FfModel model, TrainConfig train, int maxBatch, int threads, int oneChunkMax) {
        this.oneChunkMax = oneChunkMax;
        this.model = model;
        this.layout = model.layout();
        this.maxBatch = maxBatch;
        this.optimizer = new Optimizer(train, layout);
        this.dropout = train.dropout();
        this.peer = train.peerNorm();
        this.runningNew = new float[layout.layers()][];
        this.peerGrad = new float[layout.layers()][];
        if (peer > 0f) {
            for (int l = 0; l < layout.layers(); l++) {
                runningNew[l] = new float[layout.out(l)];
                peerGrad[l] = new float[layout.out(l)];
            }
        }
        if (layout.hasReadout()) {
            neutral = new NeutralForward[CHUNKS];
            readoutGradN = new NativeFloats[CHUNKS];
            for (int i = 0; i < CHUNKS; i++) {
                neutral[i] = new NeutralForward(model, chunkCapacity(maxBatch, i));
                readoutGradN[i] = new NativeFloats((long) layout.readoutFeatures() * FfLayout.READOUT_CLASSES);
            }
            readoutLogits = new float[maxBatch * FfLayout.READOUT_CLASSES];
        } else {
            neutral = null;
            readoutGradN = null;
            readoutLogits = null;
        }
        this.weights = new NativeWeights(model);
        int layers = layout.layers();
        this.inputs = new NativeFloats[layers];
        this.deltas = new NativeFloats[layers];
        for (int l = 0; l < layers; l++) {
            long rows = l == 0 ? maxBatch : 2L * maxBatch;
            inputs[l] = new NativeFloats(rows * layout.in(l));
            deltas[l] = new NativeFloats(rows * layout.out(l));
        }
        this.gradN = new NativeFloats(layout.size());
        this.grad = new float[layout.size()];
        this.chunks = new Chunk[CHUNKS];
        this.halves = new Half[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) {
            chunks[i] = new Chunk(chunkCapacity(maxBatch, i));
            halves[i] = new Half(i);
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
        forward(images, count, pos, neg, firstLayer, lastLayer, stats);
        parallel(() -> halves[0].gradientAndUpdate(count, firstLayer, lastLayer, lr, true),
                 () -> halves[1].gradientAndUpdate(count, firstLayer, lastLayer, lr, true));
        optimizer.countStep(firstLayer, lastLayer);
        if (peer > 0f) {
            float[] state = optimizer.firstMoment();
            for (int l = firstLayer; l <= lastLayer; l++) {
                System.arraycopy(runningNew[l], 0, state, optimizer.runningMeanOffset(layout, l), layout.out(l));
            }
        }
    }

    /**
     * One learning step of the softmax readout on a batch: the images {@code [count, 784]} run once with the neutral
     * label, the readout's cross-entropy against {@code labels} is averaged over the batch and its weights take one
     * optimizer update at learning rate {@code lr} (the FF layers are not changed). Returns the logits computed
     * before the update ({@code [count, 10]}, a buffer of this trainer), e.g. for hard negatives, and adds the summed
     * cross-entropy to {@code loss[0]} when given. Dropout as in {@link #step}, with its own masks.
     */
    public float[] readoutStep(float[] images, int count, int[] labels, float lr, double[] loss) {
        float[] g = readoutGradient(images, count, labels, loss);
        int from = layout.readoutStart();
        int to = layout.size();
        int l = layout.layers();
        optimizer.update(model.params(), g, from, to, l, lr);
        weights.sync(from, to);
        optimizer.countStep(l, l);
        return readoutLogits;
    }

    /**
     * The readout's cross-entropy gradient for a batch in parameter layout (only the readout's entries are meaningful;
     * the buffer of {@link #computeGradients}); fills the logits that {@link #readoutStep} returns.
     */
    float[] readoutGradient(float[] images, int count, int[] labels, double[] loss) {
        if (neutral == null) {
            throw new IllegalStateException("the model has no softmax readout (ff.readout = NONE)");
        }
        if (count < 1 || count > maxBatch) {
            throw new IllegalArgumentException("batch of " + count + " examples; this trainer holds 1.." + maxBatch);
        }
        int half = firstChunkRows(count);
        double[] ce = new double[CHUNKS];
        int[] firsts = {0, half};
        int[] sizes = {half, count - half};
        Runnable[] parts = new Runnable[CHUNKS];
        for (int i = 0; i < CHUNKS; i++) {
            final int k = i;
            parts[i] = () -> {
                float[] lg = neutral[k].run(weights, images, firsts[k], sizes[k], dropout, dropoutSeed);
                System.arraycopy(lg, 0, readoutLogits, firsts[k] * FfLayout.READOUT_CLASSES, sizes[k] * FfLayout.READOUT_CLASSES);
                ce[k] = neutral[k].gradient(labels, firsts[k], count, readoutGradN[k]);
            };
        }
        parallel(parts[0], parts[1]);
        neutralImages = images;
        neutralCount = count;
        int from = layout.readoutStart();
        int weightsEnd = layout.readoutBiasOffset();
        int len = weightsEnd - from;
        readoutGradN[0].get(0, grad, from, len);
        if (neutral[1].rows() > 0) {
            float[] tmp = new float[Math.min(len, BLOCK)];
            for (int s = 0; s < len; s += BLOCK) {
                int e = Math.min(len, s + BLOCK);
                readoutGradN[1].get(s, tmp, 0, e - s);
                for (int i = s; i < e; i++) {
                    grad[from + i] += tmp[i - s];
                }
            }
        }
        float[] b0 = neutral[0].biasGradient();
        float[] b1 = neutral[1].biasGradient();
        for (int c = 0; c < FfLayout.READOUT_CLASSES; c++) {
            grad[weightsEnd + c] = b0[c] + (neutral[1].rows() > 0 ? b1[c] : 0f);
        }
        if (loss != null) {
            loss[0] += ce[0] + ce[1];
        }
        return grad;
    }

    /**
     * The seed of the next steps' dropout masks on the deeper layers' inputs (row r of layer l in the chunk starting
     * at row f draws from {@code mix(seed, l, f)}, so the masks do not depend on the thread count).
     */
    public void dropoutSeed(long seed) {
        this.dropoutSeed = seed;
    }

    /** Call after the model's parameter buffer was replaced from outside (e.g. averaged parameters). */
    public void parametersChanged() {
        neutralImages = null;
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
        forward(images, count, pos, neg, firstLayer, lastLayer, stats);
        parallel(() -> halves[0].gradientAndUpdate(count, firstLayer, lastLayer, 0f, false),
                 () -> halves[1].gradientAndUpdate(count, firstLayer, lastLayer, 0f, false));
        return grad;
    }

    private void forward(float[] images, int count, int[] pos, int[] neg, int firstLayer, int lastLayer, LayerStats stats) {
        if (count < 1 || count > maxBatch) {
            throw new IllegalArgumentException("batch of " + count + " examples; this trainer holds 1.." + maxBatch);
        }
        if (firstLayer < 0 || lastLayer >= layout.layers() || firstLayer > lastLayer) {
            throw new IllegalArgumentException("layers " + firstLayer + ".." + lastLayer + " of " + layout.layers());
        }
        int half = firstChunkRows(count);
        Chunk a = chunks[0];
        Chunk b = chunks[1];
        // After a readout pass on this very batch, its chunks (split the same way) already hold x · W0.
        boolean reuse = neutralImages == images && neutralCount == count;
        neutralImages = null;
        a.begin(images, 0, half, count, pos, neg, firstLayer, lastLayer, reuse ? neutral[0] : null);
        b.begin(images, half, count - half, count, pos, neg, firstLayer, lastLayer, reuse ? neutral[1] : null);
        if (peer == 0f) {
            parallel(a::runAll, b::runAll);
        } else {
            // Peer normalisation needs the whole batch's mean activity of a layer before that layer's gradient:
            // the chunks meet once per layer.
            parallel(() -> a.activate(0), () -> b.activate(0));
            for (int l = 0; l <= lastLayer; l++) {
                if (l >= firstLayer) {
                    peerGradient(l, count);
                }
                final int k = l;
                parallel(() -> a.finishThenActivate(k), () -> b.finishThenActivate(k));
            }
        }
        stats.mergeInPlace(a.stats).mergeInPlace(b.stats);
    }

    /**
     * Peer normalisation of layer {@code l} for this batch: the running means {@code r = m·r + (1−m)·a} (a: the
     * batch's mean activity of each unit over positive rows) into {@link #runningNew}, and the penalty
     * {@code λ/(1−m)·Σ_j (r_j − r̄)²}'s gradient with respect to each positive row's activity,
     * {@code 2λ(r_j − r̄)/B}, into {@link #peerGrad} (Σ_k (r_k − r̄) = 0 removes the mean's own derivative).
     */
    private void peerGradient(int l, int count) {
        int n = layout.out(l);
        float[] state = optimizer.firstMoment();
        int off = optimizer.runningMeanOffset(layout, l);
        float[] ca = chunks[0].colSum[l];
        float[] cb = chunks[1].colSum[l];
        float[] r = runningNew[l];
        double mean = 0;
        for (int j = 0; j < n; j++) {
            double a = ((double) ca[j] + cb[j]) / count;
            r[j] = (float) (PEER_MOMENTUM * state[off + j] + (1 - PEER_MOMENTUM) * a);
            mean += r[j];
        }
        mean /= n;
        float[] g = peerGrad[l];
        for (int j = 0; j < n; j++) {
            g[j] = (float) (2.0 * peer * (r[j] - mean) / count);
        }
    }

    /** Examples in the first row chunk of a batch of {@code count}: all of them up to {@link #oneChunkMax}, else half. */
    private int firstChunkRows(int count) {
        return count <= oneChunkMax ? count : (count + 1) / 2;
    }

    /** Rows chunk {@code chunk} must hold for batches of up to {@code maxBatch} examples. */
    private int chunkCapacity(int maxBatch, int chunk) {
        int even = (maxBatch + CHUNKS - 1) / CHUNKS;
        return chunk == 0 ? Math.max(even, Math.min(maxBatch, oneChunkMax)) : even;
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
        gradN.close();
        for (int l = 0; l < inputs.length; l++) {
            inputs[l].close();
            deltas[l].close();
        }
        for (Chunk c : chunks) {
            c.close();
        }
        if (neutral != null) {
            for (int i = 0; i < CHUNKS; i++) {
                neutral[i].close();
                readoutGradN[i].close();
            }
        }
    }

    /**
     * Phase 2 for one half of every weight matrix's rows (half 0: rows {@code [0, in/2)}, half 1 the rest) and,
     * for half 1, the biases.
     */
    private final class Half {
        private final int index;

        Half(int index) {
            this.index = index;
        }

        int rowFrom(int l) {
            return index == 0 ? 0 : layout.in(l) / 2;
        }

        int rowTo(int l) {
            return index == 0 ? layout.in(l) / 2 : layout.in(l);
        }

        /**
         * {@code ∂W} of this half's rows for each trained layer (one GEMM over all rows of the batch), plus the label
         * rows' and biases' sums over chunks, into {@link #grad}; then, when {@code update}, the optimizer update
         * and the native mirror, block by block while the gradient is still in cache.
         */
        void gradientAndUpdate(int count, int firstLayer, int lastLayer, float lr, boolean update) {
            final float[] p = model.params();
            for (int l = firstLayer; l <= lastLayer; l++) {
                int in = layout.in(l);
                int n = layout.out(l);
                int r0 = rowFrom(l);
                int r1 = rowTo(l);
                int wOff = layout.weightOffset(l);
                if (r1 > r0) {
                    int k = l == 0 ? count : 2 * count;
                    Gemm.sgemm(true, false, r1 - r0, n, k, inputs[l], r0, in, deltas[l], 0, n, 0f, gradN, wOff + (long) r0 * n, n);
                }
                int labelEnd = l == 0 ? wOff + LABELS * n : wOff;
                long t0 = update && StepProfile.on() ? System.nanoTime() : 0;
                for (int s = wOff + r0 * n; s < wOff + r1 * n; s += BLOCK) {
                    int e = Math.min(wOff + r1 * n, s + BLOCK);
                    gradN.get(s, grad, s, e - s);
                    // The label pixels' rows of W0: the GEMM saw zeros there; add the one-hot rows of both chunks.
                    for (int i = s; i < Math.min(e, labelEnd); i++) {
                        grad[i] += chunks[0].labelGrad[i - wOff] + chunks[1].labelGrad[i - wOff];
                    }
                    if (update) {
                        optimizer.update(p, grad, s, e, l, lr);
                        weights.sync(s, e);
                    }
                }
                if (t0 != 0) {
                    StepProfile.update(System.nanoTime() - t0);
                }
                if (index == 1) {
                    int bOff = layout.biasOffset(l);
                    float[] g0 = chunks[0].biasGrad[l];
                    float[] g1 = chunks[1].biasGrad[l];
                    for (int j = 0; j < n; j++) {
                        grad[bOff + j] = g0[j] + g1[j];
                    }
                    if (update) {
                        optimizer.update(p, grad, bOff, bOff + n, l, lr);
                        weights.sync(bOff, bOff + n);
                    }
                }
            }
        }
    }

    /** The buffers and the forward computation for one chunk of a batch. */
    private final class Chunk implements AutoCloseable {
        private final NormKind norm;
        private final GoodnessKind goodness;
        private final float theta;
        final LayerStats stats;
        /** Per layer: this chunk's part of ∂b (batch-normalised). */
        final float[][] biasGrad;
        /** This chunk's part of ∂W0's label rows [10, n0]. */
        final float[] labelGrad;
        private final float[] x;        // [b, 784] images, label pixels zero
        private final float[] inv0;     // [b] input normalisation multipliers
        private final int[] rowLabels;  // [2b] pos labels then neg labels
        private final float[] zImg;     // [b, n0]
        private final float[] h;        // [2b, maxW] activities, then dL/dz in place
        private final float[] u;        // [2b, maxW] next layer's normalised input
        private final float[] e;        // [b, n0] first-layer combined gradient rows
        private final float[] sumSq;    // [2b]
        private final float[] coef;     // [2b]
        private final NativeFloats zN;
        /** Per layer: column sums of this chunk's positive rows' activities (peer normalisation only). */
        final float[][] colSum;
        // The batch of the current step (set by begin).
        private float[] images;
        /** The readout pass of the same batch over this chunk's rows, whose x · W0 this chunk may reuse; or null. */
        private NeutralForward readoutPass;
        private int first;
        private int b;
        private int batch;
        private int[] pos;
        private int[] neg;
        private int firstLayer;
        private int lastLayer;

        Chunk(int maxRows) {
            FfConfig cfg = model.config();
            norm = cfg.norm();
            goodness = cfg.goodness();
            theta = cfg.threshold();
            stats = new LayerStats(layout.layers());
            biasGrad = new float[layout.layers()][];
            for (int l = 0; l < layout.layers(); l++) {
                biasGrad[l] = new float[layout.out(l)];
            }
            int w = cfg.maxWidth();
            int n0 = layout.out(0);
            labelGrad = new float[LABELS * n0];
            x = new float[maxRows * D];
            inv0 = new float[maxRows];
            rowLabels = new int[2 * maxRows];
            zImg = new float[maxRows * n0];
            h = new float[2 * maxRows * w];
            u = new float[2 * maxRows * w];
            e = new float[maxRows * n0];
            sumSq = new float[2 * maxRows];
            coef = new float[2 * maxRows];
            zN = new NativeFloats(2L * maxRows * w);
            colSum = new float[layout.layers()][];
            for (int l = 0; l < layout.layers(); l++) {
                colSum[l] = new float[layout.out(l)];
            }
        }

        /**
         * Sets up the forward pass of examples {@code [first, first+b)} of the batch; the stages below then write their
         * rows of {@link #inputs} and {@link #deltas} (at row {@code first}, or {@code 2·first} for two-row-per-example
         * layers) and this chunk's bias and label-row gradients, normalised by the whole batch size {@code batch}.
         */
        void begin(float[] images, int first, int b, int batch, int[] pos, int[] neg, int firstLayer, int lastLayer,
                   NeutralForward readoutPass) {
            this.readoutPass = readoutPass;
            this.images = images;
            this.first = first;
            this.b = b;
            this.batch = batch;
            this.pos = pos;
            this.neg = neg;
            this.firstLayer = firstLayer;
            this.lastLayer = lastLayer;
            stats.clear();
            java.util.Arrays.fill(labelGrad, 0f);
            for (float[] g : biasGrad) {
                java.util.Arrays.fill(g, 0f);
            }
        }

        /** The whole forward pass (no meeting point between the chunks). */
        void runAll() {
            for (int l = 0; l <= lastLayer; l++) {
                activate(l);
                finish(l);
            }
        }

        /** {@link #finish} of layer l, then {@link #activate} of the next (the work between two meeting points). */
        void finishThenActivate(int l) {
            finish(l);
            if (l < lastLayer) {
                activate(l + 1);
            }
        }

        /** Layer l's activities into {@link #h} and their row sums of squares (and, with peer normalisation, column sums). */
        void activate(int l) {
            if (b == 0) {
                if (peer > 0f) {
                    java.util.Arrays.fill(colSum[l], 0f);
                }
                return;
            }
            final int rows = 2 * b;
            final float[] p = model.params();
            int in = layout.in(l);
            int n = layout.out(l);
            if (l == 0) {
                LayerMath.loadImages(images, first, b, x, inv0, norm);
                inputs[0].put((long) first * D, x, 0, b * D);
                for (int r = 0; r < b; r++) {
                    rowLabels[r] = pos[first + r];
                    rowLabels[b + r] = neg[first + r];
                }
                // Reused only for the very same image rows (the label pixels are zero in both; W0 has not changed).
                float[] z = readoutPass != null && readoutPass.rows() == b
                        && java.util.Arrays.equals(x, 0, b * D, readoutPass.imageRows(), 0, b * D) ? readoutPass.imageProduct() : null;
                if (z == null) {
                    Gemm.sgemm(false, false, b, n, D, inputs[0], (long) first * D, D, weights.buffer(), layout.weightOffset(0), n, 0f, zN, 0, n);
                    zN.get(0, zImg, 0, b * n);
                    z = zImg;
                }
                LayerMath.firstLayer(z, b, rowLabels, rows, inv0, p, layout.weightOffset(0), layout.biasOffset(0), n, h, sumSq);
            } else {
                Gemm.sgemm(false, false, rows, n, in, inputs[l], 2L * first * in, in, weights.buffer(), layout.weightOffset(l), n, 0f, zN, 0, n);
                zN.get(0, h, 0, rows * n);
                LayerMath.biasRelu(h, rows, n, p, layout.biasOffset(l), h, sumSq);
            }
            if (peer > 0f && l >= firstLayer) {
                float[] cs = colSum[l];
                java.util.Arrays.fill(cs, 0f);
                for (int r = 0; r < b; r++) {
                    int o = r * n;
                    for (int j = 0; j < n; j++) {
                        cs[j] += h[o + j];
                    }
                }
            }
        }

        /** Layer l's normalised output as the next layer's input (with dropout) and, for a trained layer, its delta. */
        void finish(int l) {
            if (b == 0) {
                return;
            }
            final int rows = 2 * b;
            int n = layout.out(l);
            if (l < lastLayer) {
                LayerMath.normalise(h, rows, n, sumSq, norm, u);
                if (dropout > 0f) {
                    Augment.dropout(u, rows * n, dropout, new Rng(Rng.mix(dropoutSeed, l + 1, first)));
                }
                inputs[l + 1].put(2L * first * n, u, 0, rows * n);
            }
            if (l >= firstLayer) {
                delta(l, b, batch, rows, first, pos, neg);
            }
        }

        /** Turns h into dL/dz in place; writes layer l's delta rows, bias gradient and (layer 0) label rows. */
        private void delta(int l, int b, int batch, int rows, int first, int[] pos, int[] neg) {
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

            final float[] bg = biasGrad[l];
            final float[] pg = peerGrad[l];
            for (int r = 0; r < rows; r++) {
                float c = coef[r];
                int o = r * n;
                if (pg != null && r < b) {
                    // positive rows also carry peer normalisation's gradient, through the ReLU (active units only)
                    for (int j = 0; j < n; j++) {
                        float hv = h[o + j];
                        float d = hv * c + (hv > 0f ? pg[j] : 0f);
                        h[o + j] = d;
                        bg[j] += d;
                    }
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    float d = h[o + j] * c;
                    h[o + j] = d;
                    bg[j] += d;
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
                    int gp = pos[first + ex] * n;
                    int gn = neg[first + ex] * n;
                    for (int j = 0; j < n; j++) {
                        labelGrad[gp + j] += iv * h[op + j];
                        labelGrad[gn + j] += iv * h[on + j];
                    }
                }
                deltas[0].put((long) first * n, e, 0, b * n);
            } else {
                deltas[l].put(2L * first * n, h, 0, rows * n);
            }
        }

        @Override
        public void close() {
            zN.close();
        }
    }
}

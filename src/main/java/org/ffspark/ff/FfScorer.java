package org.ffspark.ff;

import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;

/**
 * FF inference: for every image and every candidate label c, the FF score
 * {@code S(x, c) = Σ_{l ∈ L} G_l(x ⊕ c)} (PAPER.md section 1, "Prediction"), or for a model with a softmax readout
 * the readout's logit of c (one pass with the neutral label, {@link NeutralForward}); the prediction is the argmax.
 * The first layer runs one GEMM per image batch and adds the label's weight row per candidate, so the ten
 * candidates cost one first-layer pass instead of ten. Buffers are sized for {@code maxImages}; single-threaded.
 */
public final class FfScorer implements AutoCloseable {
    public static final int LABELS = 10;
    private static final int D = FfConfig.INPUT_SIZE;

    private final FfModel model;
    private final FfLayout layout;
    private final NormKind norm;
    private final GoodnessKind goodness;
    private final int firstScored;
    private int lastLayer;
    private final int maxImages;
    private final NativeWeights weights;
    private final float[] x;
    private final float[] inv0;
    private final int[] rowLabels;
    private final float[] zImg;
    private final float[] h;
    private final float[] u;
    private final float[] sumSq;
    private final NativeFloats xN;
    private final NativeFloats uN;
    private final NativeFloats zN;
    /** The readout's pass, or null when the model predicts by goodness. */
    private final NeutralForward neutral;

    public FfScorer(FfModel model, int maxImages) {
        FfConfig cfg = model.config();
        this.model = model;
        this.layout = model.layout();
        this.norm = cfg.norm();
        this.goodness = cfg.goodness();
        this.firstScored = cfg.scoreLayers().first();
        this.lastLayer = model.layout().layers() - 1;
        this.maxImages = maxImages;
        this.weights = new NativeWeights(model);
        int w = cfg.maxWidth();
        int rows = LABELS * maxImages;
        x = new float[maxImages * D];
        inv0 = new float[maxImages];
        rowLabels = new int[rows];
        zImg = new float[maxImages * layout.out(0)];
        h = new float[rows * w];
        u = new float[rows * w];
        sumSq = new float[rows];
        xN = new NativeFloats((long) maxImages * D);
        uN = new NativeFloats((long) rows * w);
        zN = new NativeFloats((long) rows * w);
        neutral = layout.hasReadout() ? new NeutralForward(model, maxImages) : null;
    }

    public int maxImages() {
        return maxImages;
    }

    /**
     * Scores with layers up to {@code layer} only (the layers a greedy schedule has trained so far, and the one it
     * is training); the configured score layers among them vote, or all of them when none of those is reached yet.
     */
    public void limitTo(int layer) {
        this.lastLayer = Math.min(layer, layout.layers() - 1);
    }

    /** Call after the model's parameters changed. */
    public void parametersChanged() {
        weights.syncAll();
    }

    /**
     * Writes each image's ten label scores under the model's prediction rule, {@code scores[ex * 10 + c]}: the FF
     * score {@code S(image ex, c)} (goodness), or label c's logit of the softmax readout, for {@code count} images taken from
     * {@code images [count, 784]} starting at image {@code first}; processes them in chunks of
     * {@link #maxImages()}.
     */
    public void score(float[] images, int first, int count, float[] scores) {
        for (int done = 0; done < count; done += maxImages) {
            int b = Math.min(maxImages, count - done);
            scoreChunk(images, first + done, b, scores, done * LABELS);
        }
    }

    private void scoreChunk(float[] images, int first, int b, float[] scores, int outOff) {
        if (neutral != null) {
            float[] logits = neutral.run(weights, images, first, b, 0f, 0L);
            System.arraycopy(logits, 0, scores, outOff, b * LABELS);
            return;
        }
        final int rows = LABELS * b;
        final float[] p = model.params();
        LayerMath.loadImages(images, first, b, x, inv0, norm);
        xN.put(0, x, 0, b * D);
        for (int c = 0; c < LABELS; c++) {
            for (int ex = 0; ex < b; ex++) {
                rowLabels[c * b + ex] = c;
            }
        }
        for (int i = 0; i < rows; i++) {
            scores[outOff + i] = 0f;
        }
        int last = lastLayer;
        int from = firstScored <= last ? firstScored : 0;
        for (int l = 0; l <= last; l++) {
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
            if (l >= from) {
                float s = goodness.scale(n);
                for (int c = 0; c < LABELS; c++) {
                    for (int ex = 0; ex < b; ex++) {
                        scores[outOff + ex * LABELS + c] += sumSq[c * b + ex] * s;
                    }
                }
            }
            if (l < last) {
                LayerMath.normalise(h, rows, n, sumSq, norm, u);
                uN.put(0, u, 0, rows * n);
            }
        }
    }

    /** The label with the highest score for image {@code ex} (lowest label on ties). */
    public static int argmax(float[] scores, int ex) {
        int best = 0;
        int o = ex * LABELS;
        for (int c = 1; c < LABELS; c++) {
            if (scores[o + c] > scores[o + best]) {
                best = c;
            }
        }
        return best;
    }

    @Override
    public void close() {
        if (neutral != null) {
            neutral.close();
        }
        weights.close();
        xN.close();
        uN.close();
        zN.close();
    }
}

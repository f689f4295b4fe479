package org.ffspark.ff;

import org.ffspark.config.FfConfig;
import org.ffspark.config.NormKind;
import org.ffspark.config.ReadoutKind;

/**
 * The softmax readout's pass (PAPER.md section 1, "one-pass readout"): images run once through the FF layers with
 * the neutral label ({@value ReadoutKind#NEUTRAL} in each label pixel); the normalised activities of the readout's
 * layers feed a linear layer whose ten outputs are the labels' logits. Also the readout's cross-entropy gradient on
 * those rows (the FF layers' inputs are constants to it: the gradient stops at the readout).
 *
 * <p>Shares the engine's native weight mirror; buffers sized for {@code maxRows}. Not thread safe: one per thread.
 */
final class NeutralForward implements AutoCloseable {
    private static final int D = FfConfig.INPUT_SIZE;
    private static final int C = FfLayout.READOUT_CLASSES;
    /** Random stream of the neutral pass's dropout masks, beside the FF rows' (which use the layer index). */
    static final long DROPOUT_STREAM = 0x4E5554L;

    private final FfModel model;
    private final FfLayout layout;
    private final NormKind norm;
    private final int maxRows;
    private final float[] x;
    private final float[] inv;
    private final float[] zImg;
    private final float[] neutralRow;
    private final float[] h;
    private final float[] u;
    private final float[] sumSq;
    private final float[] logits;
    private final float[] dLogits;
    private final float[] biasGrad = new float[C];
    private final NativeFloats xN;
    private final NativeFloats zN;
    /** Per layer: its normalised activities [rows, n] (the next layer's input and, for read layers, the features). */
    private final NativeFloats[] uN;
    private final NativeFloats logitsN;
    private final NativeFloats dN;
    private int rows;

    /** Rows of the last {@link #run}. */
    int rows() {
        return rows;
    }

    NeutralForward(FfModel model, int maxRows) {
        this.model = model;
        this.layout = model.layout();
        if (!layout.hasReadout()) {
            throw new IllegalArgumentException("the model has no softmax readout");
        }
        this.norm = model.config().norm();
        this.maxRows = maxRows;
        int w = model.config().maxWidth();
        int n0 = layout.out(0);
        x = new float[maxRows * D];
        inv = new float[maxRows];
        zImg = new float[maxRows * n0];
        neutralRow = new float[n0];
        h = new float[maxRows * w];
        u = new float[maxRows * w];
        sumSq = new float[maxRows];
        logits = new float[maxRows * C];
        dLogits = new float[maxRows * C];
        xN = new NativeFloats((long) maxRows * D);
        zN = new NativeFloats((long) maxRows * w);
        uN = new NativeFloats[layout.layers()];
        for (int l = 0; l < layout.layers(); l++) {
            uN[l] = new NativeFloats((long) maxRows * layout.out(l));
        }
        logitsN = new NativeFloats((long) maxRows * C);
        dN = new NativeFloats((long) maxRows * C);
    }

    /**
     * Runs images {@code [first, first + b)} of {@code images [*, 784]} and returns their logits ({@code [b, 10]},
     * a buffer of this object). With {@code dropout > 0} every normalised activity is dropped with that probability,
     * masks from {@code Rng(mix(dropoutSeed, DROPOUT_STREAM, layer, first))}.
     */
    float[] run(NativeWeights weights, float[] images, int first, int b, float dropout, long dropoutSeed) {
        if (b < 0 || b > maxRows) {
            throw new IllegalArgumentException(b + " rows; this pass holds 0.." + maxRows);
        }
        rows = b;
        if (b == 0) {
            return logits;
        }
        final float[] p = model.params();
        LayerMath.loadImages(images, first, b, x, inv, norm, C * (double) ReadoutKind.NEUTRAL * ReadoutKind.NEUTRAL);
        xN.put(0, x, 0, b * D);
        int last = layout.layers() - 1;
        int read = layout.readoutFirstLayer();
        for (int l = 0; l <= last; l++) {
            int in = layout.in(l);
            int n = layout.out(l);
            if (l == 0) {
                Gemm.sgemm(false, false, b, n, D, xN, 0, D, weights.buffer(), layout.weightOffset(0), n, 0f, zN, 0, n);
                zN.get(0, zImg, 0, b * n);
                LayerMath.neutralRow(p, layout.weightOffset(0), n, neutralRow);
                int b0 = layout.biasOffset(0);
                for (int r = 0; r < b; r++) {
                    float s = inv[r];
                    int o = r * n;
                    for (int j = 0; j < n; j++) {
                        h[o + j] = Math.max((zImg[o + j] + neutralRow[j]) * s + p[b0 + j], 0f);
                    }
                    sumSq[r] = LayerMath.sumSquares(h, o, n);
                }
            } else {
                Gemm.sgemm(false, false, b, n, in, uN[l - 1], 0, in, weights.buffer(), layout.weightOffset(l), n, 0f, zN, 0, n);
                zN.get(0, h, 0, b * n);
                LayerMath.biasRelu(h, b, n, p, layout.biasOffset(l), h, sumSq);
            }
            LayerMath.normalise(h, b, n, sumSq, norm, u);
            if (dropout > 0f) {
                Augment.dropout(u, b * n, dropout, new Rng(Rng.mix(dropoutSeed, DROPOUT_STREAM, l, first)));
            }
            uN[l].put(0, u, 0, b * n);
            if (l >= read) {
                Gemm.sgemm(false, false, b, C, n, uN[l], 0, n, weights.buffer(), layout.readoutWeightOffset(l), C,
                        l == read ? 0f : 1f, logitsN, 0, C);
            }
        }
        logitsN.get(0, logits, 0, b * C);
        int rb = layout.readoutBiasOffset();
        for (int r = 0; r < b; r++) {
            for (int c = 0; c < C; c++) {
                logits[r * C + c] += p[rb + c];
            }
        }
        return logits;
    }

    /**
     * The gradient of {@code Σ_rows CE(softmax(logits), label) / batch} over the rows of the last {@link #run} with
     * respect to the readout's weights, written (not added) into {@code grad} in the layout of the readout's weights (index 0 = {@link FfLayout#readoutStart()}) (nothing when the
     * last run had no rows), and its bias part
     * into {@link #biasGradient()}. Returns the rows' summed cross-entropy. {@code labels[first + r]} is row r's label.
     */
    double gradient(int[] labels, int first, int batch, NativeFloats grad) {
        java.util.Arrays.fill(biasGrad, 0f);
        int b = rows;
        double loss = 0;
        for (int r = 0; r < b; r++) {
            int o = r * C;
            float max = logits[o];
            for (int c = 1; c < C; c++) {
                max = Math.max(max, logits[o + c]);
            }
            double total = 0;
            for (int c = 0; c < C; c++) {
                total += Math.exp(logits[o + c] - max);
            }
            int y = labels[first + r];
            loss += Math.log(total) - (logits[o + y] - max);
            for (int c = 0; c < C; c++) {
                double prob = Math.exp(logits[o + c] - max) / total;
                float d = (float) ((prob - (c == y ? 1 : 0)) / batch);
                dLogits[o + c] = d;
                biasGrad[c] += d;
            }
        }
        if (b == 0) {
            return 0; // nothing written: the caller skips an empty part
        }
        int read = layout.readoutFirstLayer();
        dN.put(0, dLogits, 0, b * C);
        for (int l = read; l < layout.layers(); l++) {
            int n = layout.out(l);
            Gemm.sgemm(true, false, n, C, b, uN[l], 0, n, dN, 0, C, 0f, grad, layout.readoutWeightOffset(l) - layout.readoutStart(), C);
        }
        return loss;
    }

    /**
     * The first layer's image product {@code x · W0} of the last {@link #run}'s rows ({@code [rows, n0]}, label pixels
     * zero, before normalisation): the same GEMM on the same operands as the labelled rows' first layer.
     */
    float[] imageProduct() {
        return zImg;
    }

    /** The image rows {@code x} ({@code [rows, 784]}, label pixels zero) the last {@link #run} multiplied. */
    float[] imageRows() {
        return x;
    }

    /** The readout bias's gradient from the last {@link #gradient} call. */
    float[] biasGradient() {
        return biasGrad;
    }

    @Override
    public void close() {
        xN.close();
        zN.close();
        for (NativeFloats f : uN) {
            f.close();
        }
        logitsN.close();
        dN.close();
    }
}

package org.ffspark.saliency;

import org.ffspark.ff.FfLayout;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfRowForward;

/**
 * The FF saliency map (PAPER.md 3.1, the paper's method): {@code M_i(x, c) = S(x, c) − S(x^{(i→0)}, c)} for every
 * pixel i ≥ 10, where {@code S} sums goodness over a set of layers (for a model with a softmax readout: label c's
 * logit with the neutral label, each layer contributing its term of it); label pixels and pixels already at the
 * baseline 0 get 0 and cost nothing. All occluded copies of an image form one batch; the first layer of copy i is
 * the image's projection minus the rank-one term {@code x_i W0[i,:]}, rescaled by the copy's own norm
 * ({@code ‖x^{(i→0)} ⊕ c‖² = ‖x ⊕ c‖² − x_i²}), so it needs no GEMM; deeper layers run as GEMMs over the batch.
 * One pass yields the map for every layer alone too (3.4). Single-threaded; reuses its buffers.
 */
public final class GoodnessOcclusion {
    public static final int PIXELS = 784;
    private final FfRowForward forward;
    private final FfModel model;
    private final FfLayout layout;
    private final int layers;
    private final float[] proj;
    private final float[] z0;
    private final float[] good;
    private final int[] pixelOfRow;
    private final float[] labelRow;

    public GoodnessOcclusion(FfRowForward forward) {
        this.forward = forward;
        this.model = forward.model();
        this.layout = model.layout();
        this.layers = layout.layers();
        int rows = forward.maxRows();
        this.proj = new float[layout.out(0)];
        this.z0 = new float[rows * layout.out(0)];
        this.good = new float[rows * layers];
        this.pixelOfRow = new int[rows];
        this.labelRow = new float[layout.out(0)];
    }

    /**
     * Writes into {@code perLayer[l][i]} the occlusion map of layer l alone for target label {@code c}, for the
     * image {@code image[off .. off+784)} (values in [0,1]; the first 10 are ignored). Returns the base goodness
     * of each layer, {@code G_l(x ⊕ c)}. Sum {@code perLayer} over a layer set to get the map of that set.
     */
    public float[] perLayerMaps(float[] image, int off, int c, float[][] perLayer) {
        int n = layout.out(0);
        float[] p = model.params();
        int w0 = layout.weightOffset(0);
        forward.imageProjection(image, off, proj);
        forward.labelRow(c, labelRow);
        double ss = forward.labelSumSquares();
        for (int i = 10; i < PIXELS; i++) {
            ss += image[off + i] * image[off + i];
        }
        for (float[] m : perLayer) {
            java.util.Arrays.fill(m, 0f);
        }
        float[] base = new float[layers];
        int i = 10;
        boolean first = true;
        while (first || i < PIXELS) {
            int rows = 0;
            if (first) {
                fillRow(0, ss, -1, 0f, c, p, w0, n);
                pixelOfRow[rows++] = -1;
                first = false;
            }
            for (; i < PIXELS && rows < forward.maxRows(); i++) {
                float v = image[off + i];
                if (v != 0f) {
                    fillRow(rows, ss - (double) v * v, i, v, c, p, w0, n);
                    pixelOfRow[rows++] = i;
                }
            }
            forward.layerScores(z0, rows, c, good);
            for (int r = 0; r < rows; r++) {
                int px = pixelOfRow[r];
                for (int l = 0; l < layers; l++) {
                    if (px < 0) {
                        base[l] = good[r * layers + l];
                    } else {
                        perLayer[l][px] = good[r * layers + l]; // occluded goodness for now
                    }
                }
            }
        }
        for (int l = 0; l < layers; l++) {
            for (int px = 10; px < PIXELS; px++) {
                if (image[off + px] != 0f) {
                    perLayer[l][px] = base[l] - perLayer[l][px];
                }
            }
        }
        return base;
    }

    /**
     * Row r's first layer: (proj − v·W0[i] + the label's row) · inverse(ss), without bias. i < 0 means no occlusion.
     * The label's row is W0[c], or the neutral label's for a readout model ({@link FfRowForward#labelRow}).
     */
    private void fillRow(int r, double ss, int i, float v, int c, float[] p, int w0, int n) {
        float inv = forward.inputInverse(ss);
        int o = r * n;
        if (i < 0) {
            for (int j = 0; j < n; j++) {
                z0[o + j] = (proj[j] + labelRow[j]) * inv;
            }
        } else {
            int wi = w0 + i * n;
            for (int j = 0; j < n; j++) {
                z0[o + j] = (proj[j] - v * p[wi + j] + labelRow[j]) * inv;
            }
        }
    }

    /** The map over layers {@code [first, layers)}: {@code out[i] = Σ_l perLayer[l][i]}. */
    public static void sum(float[][] perLayer, int first, float[] out) {
        java.util.Arrays.fill(out, 0f);
        for (int l = first; l < perLayer.length; l++) {
            for (int i = 0; i < out.length; i++) {
                out[i] += perLayer[l][i];
            }
        }
    }
}

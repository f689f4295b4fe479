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
        double ss = begin(image, off, c);
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
     * Patch occlusion (PAPER.md 3.1's option): for every k x k patch at {@code stride} (rows and columns 0, stride,
     * 2 stride, ..., plus a last patch flush with the image's edge), the drop of the score over layers
     * {@code [firstLayer, layers)} when the patch's pixels (label pixels excepted) are set to 0, spread back to each
     * pixel as the mean drop of the patches covering it; label pixels get 0. A patch with no non-zero pixel drops 0
     * at no cost. The first layer is again the image's projection minus the patch's terms, so one GEMM per deeper
     * layer serves a batch of patches.
     */
    public void patchMap(float[] image, int off, int c, int k, int stride, int firstLayer, float[] out) {
        int[] starts = patchStarts(k, stride);
        int n = layout.out(0);
        float[] p = model.params();
        int w0 = layout.weightOffset(0);
        double ss = begin(image, off, c);
        int patches = starts.length * starts.length;
        double[] drop = new double[patches];
        boolean[] computed = new boolean[patches];
        double base = 0;
        int next = 0;
        boolean first = true;
        while (first || next < patches) {
            int rows = 0;
            if (first) {
                fillRow(0, ss, -1, 0f, c, p, w0, n);
                pixelOfRow[rows++] = -1;
                first = false;
            }
            for (; next < patches && rows < forward.maxRows(); next++) {
                int top = starts[next / starts.length];
                int left = starts[next % starts.length];
                double patchSs = 0;
                int o = rows * n;
                for (int j = 0; j < n; j++) {
                    z0[o + j] = proj[j] + labelRow[j];
                }
                boolean any = false;
                for (int r = top; r < top + k; r++) {
                    for (int col = left; col < left + k; col++) {
                        int i = r * 28 + col;
                        float v = image[off + i];
                        if (i >= 10 && v != 0f) {
                            any = true;
                            patchSs += (double) v * v;
                            int wi = w0 + i * n;
                            for (int j = 0; j < n; j++) {
                                z0[o + j] -= v * p[wi + j];
                            }
                        }
                    }
                }
                if (any) {
                    float inv = forward.inputInverse(ss - patchSs);
                    for (int j = 0; j < n; j++) {
                        z0[o + j] *= inv;
                    }
                    pixelOfRow[rows++] = next;
                }
            }
            forward.layerScores(z0, rows, c, good);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int l = firstLayer; l < layers; l++) {
                    sum += good[r * layers + l];
                }
                if (pixelOfRow[r] < 0) {
                    base = sum;
                } else {
                    drop[pixelOfRow[r]] = sum; // occluded score for now
                    computed[pixelOfRow[r]] = true;
                }
            }
        }
        double[] total = new double[PIXELS];
        int[] covering = new int[PIXELS];
        for (int q = 0; q < patches; q++) {
            double d = computed[q] ? base - drop[q] : 0;
            int top = starts[q / starts.length];
            int left = starts[q % starts.length];
            for (int r = top; r < top + k; r++) {
                for (int col = left; col < left + k; col++) {
                    total[r * 28 + col] += d;
                    covering[r * 28 + col]++;
                }
            }
        }
        for (int i = 0; i < PIXELS; i++) {
            out[i] = i < 10 ? 0f : (float) (total[i] / covering[i]);
        }
    }

    /** Top (and left) coordinates of the k x k patches at {@code stride}: 0, stride, ..., and 28 - k. */
    public static int[] patchStarts(int k, int stride) {
        if (k < 1 || k > 28 || stride < 1 || stride > k) {
            throw new IllegalArgumentException("patch " + k + " stride " + stride + ": need 1 <= stride <= patch <= 28");
        }
        java.util.List<Integer> starts = new java.util.ArrayList<>();
        for (int t = 0; t + k <= 28; t += stride) {
            starts.add(t);
        }
        if (starts.get(starts.size() - 1) != 28 - k) {
            starts.add(28 - k);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Sets the image's first-layer projection and the label's row for label c; returns {@code ‖x ⊕ c‖²}. */
    private double begin(float[] image, int off, int c) {
        forward.imageProjection(image, off, proj);
        forward.labelRow(c, labelRow);
        double ss = forward.labelSumSquares();
        for (int i = 10; i < PIXELS; i++) {
            ss += image[off + i] * image[off + i];
        }
        return ss;
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

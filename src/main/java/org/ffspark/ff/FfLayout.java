package org.ffspark.ff;

import org.ffspark.config.FfConfig;

/**
 * Where each layer's parameters sit in the one flat float buffer. Layer l contributes its weights
 * {@code W_l [in, out]} row-major (so row {@code i} holds the weights leaving input unit {@code i}) followed by
 * its bias {@code b_l [out]}. Averaging, broadcast and checkpoints move the single buffer.
 */
public final class FfLayout {
    private final int[] sizes;
    private final int[] weightOffsets;
    private final int[] biasOffsets;
    private final int total;

    public FfLayout(FfConfig config) {
        this.sizes = config.layerSizes().stream().mapToInt(Integer::intValue).toArray();
        int layers = sizes.length - 1;
        weightOffsets = new int[layers];
        biasOffsets = new int[layers];
        long off = 0;
        for (int l = 0; l < layers; l++) {
            weightOffsets[l] = (int) off;
            off += (long) sizes[l] * sizes[l + 1];
            biasOffsets[l] = (int) off;
            off += sizes[l + 1];
            if (off > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("network too large for one float buffer: " + FfConfig.join(config.layerSizes()));
            }
        }
        total = (int) off;
    }

    public int layers() {
        return sizes.length - 1;
    }

    public int in(int layer) {
        return sizes[layer];
    }

    public int out(int layer) {
        return sizes[layer + 1];
    }

    public int weightOffset(int layer) {
        return weightOffsets[layer];
    }

    public int biasOffset(int layer) {
        return biasOffsets[layer];
    }

    /** First index of layer {@code layer}'s block (its weights). */
    public int start(int layer) {
        return weightOffsets[layer];
    }

    /** One past the last index of layer {@code layer}'s block (end of its bias). */
    public int end(int layer) {
        return biasOffsets[layer] + sizes[layer + 1];
    }

    /** Total number of parameters. */
    public int size() {
        return total;
    }

    /** Multiply-adds of one forward pass of one row through layer {@code layer}. */
    public long macs(int layer) {
        return (long) sizes[layer] * sizes[layer + 1];
    }
}

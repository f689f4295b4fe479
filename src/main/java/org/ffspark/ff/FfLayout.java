package org.ffspark.ff;

import org.ffspark.config.FfConfig;

/**
 * Where each layer's parameters sit in the one flat float buffer. Layer l contributes its weights
 * {@code W_l [in, out]} row-major (so row {@code i} holds the weights leaving input unit {@code i}) followed by
 * its bias {@code b_l [out]}. A softmax readout follows the last layer: {@code R [F, 10]} (F = the summed widths of
 * the score layers, rows in layer order) and its bias {@code [10]}. Averaging, broadcast and checkpoints move the
 * single buffer.
 */
public final class FfLayout {
    private final int[] sizes;
    private final int[] weightOffsets;
    private final int[] biasOffsets;
    private final int readoutFirstLayer;
    private final int readoutFeatures;
    private final int readoutOffset;
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
        readoutFirstLayer = config.scoreLayers().first();
        readoutOffset = (int) off;
        int features = 0;
        if (config.readout() == org.ffspark.config.ReadoutKind.SOFTMAX) {
            for (int l = readoutFirstLayer; l < layers; l++) {
                features += sizes[l + 1];
            }
            off += (long) (features + 1) * READOUT_CLASSES;
            if (off > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("network too large for one float buffer: " + FfConfig.join(config.layerSizes()));
            }
        }
        readoutFeatures = features;
        total = (int) off;
    }

    /** Labels the readout scores. */
    public static final int READOUT_CLASSES = 10;

    /** Whether the layout holds a softmax readout. */
    public boolean hasReadout() {
        return readoutFeatures > 0;
    }

    /** First hidden layer feeding the readout (the readout reads layers {@code readoutFirstLayer()..layers()-1}). */
    public int readoutFirstLayer() {
        return readoutFirstLayer;
    }

    /** Inputs of the readout: the summed widths of the layers it reads (0 without a readout). */
    public int readoutFeatures() {
        return readoutFeatures;
    }

    /** Index of the readout's weight row for unit 0 of hidden layer {@code layer}. */
    public int readoutWeightOffset(int layer) {
        int row = 0;
        for (int l = readoutFirstLayer; l < layer; l++) {
            row += sizes[l + 1];
        }
        return readoutOffset + row * READOUT_CLASSES;
    }

    /** Index of the readout's bias (10 values after its weights). */
    public int readoutBiasOffset() {
        return readoutOffset + readoutFeatures * READOUT_CLASSES;
    }

    /** First index of the readout block; {@link #size()} ends it. */
    public int readoutStart() {
        return readoutOffset;
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

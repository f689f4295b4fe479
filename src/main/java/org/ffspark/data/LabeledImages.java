package org.ffspark.data;

import java.util.Arrays;

/**
 * A labelled set of 28x28 grey images held as raw bytes: {@code pixels} is [count * 784] row-major unsigned
 * bytes, {@code labels} is [count] with values 0..9. Bytes, not floats: a 60k set costs 47 MB instead of 188 MB;
 * batches convert to floats in [0,1] on the way into the engine.
 */
public record LabeledImages(String name, byte[] pixels, byte[] labels) implements java.io.Serializable {
    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final int PIXELS = ROWS * COLS;
    public static final int CLASSES = 10;

    public LabeledImages {
        if (pixels.length != labels.length * PIXELS) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes for " + labels.length + " labels");
        }
    }

    public int count() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i];
    }

    /** The first {@code n} examples (a copy); {@code n} larger than {@link #count()} is clipped. */
    public LabeledImages head(int n) {
        int k = Math.min(n, count());
        return new LabeledImages(name, Arrays.copyOf(pixels, k * PIXELS), Arrays.copyOf(labels, k));
    }

    /**
     * Writes example {@code i} as floats in [0,1] into {@code out[offset .. offset+784)}.
     */
    public void copyPixels(int i, float[] out, int offset) {
        int base = i * PIXELS;
        for (int p = 0; p < PIXELS; p++) {
            out[offset + p] = (pixels[base + p] & 0xff) * (1f / 255f);
        }
    }
}

package org.ffspark.ff;

import org.ffspark.data.LabeledImages;

/** Data augmentation of a training batch, in place and deterministic given its random stream. */
public final class Augment {
    private static final int SIDE = 28;

    private Augment() {}

    /**
     * Inverted dropout: each of the first {@code length} values of {@code v} becomes 0 with probability {@code p},
     * the others are scaled by {@code 1 / (1 - p)}.
     */
    public static void dropout(float[] v, int length, float p, Rng rng) {
        rng.dropout(v, 0, length, p, 1f / (1f - p));
    }

    /** Inverted dropout of the image pixels (the label pixels 0-9 are left alone: the engine writes the label there). */
    public static void dropoutPixels(float[] images, int count, float p, Rng rng) {
        final float keep = 1f / (1f - p);
        for (int i = 0; i < count; i++) {
            rng.dropout(images, i * LabeledImages.PIXELS + 10, LabeledImages.PIXELS - 10, p, keep);
        }
    }

    /**
     * Shifts each of the {@code count} 28x28 images in {@code images} by its own offset {@code (dx, dy)}, each drawn
     * uniformly from {@code [-k, k]}; pixels shifted in from outside are 0 (the background). The label pixels are
     * overwritten later by the engine, so they need no care here.
     */
    public static void shift(float[] images, int count, int k, Rng rng) {
        float[] tmp = new float[LabeledImages.PIXELS];
        for (int i = 0; i < count; i++) {
            int dx = rng.nextInt(2 * k + 1) - k;
            int dy = rng.nextInt(2 * k + 1) - k;
            if (dx == 0 && dy == 0) {
                continue;
            }
            int o = i * LabeledImages.PIXELS;
            java.util.Arrays.fill(tmp, 0f);
            for (int y = Math.max(0, dy); y < Math.min(SIDE, SIDE + dy); y++) {
                int from = (y - dy) * SIDE;
                int xs = Math.max(0, dx);
                int xe = Math.min(SIDE, SIDE + dx);
                System.arraycopy(images, o + from + xs - dx, tmp, y * SIDE + xs, xe - xs);
            }
            System.arraycopy(tmp, 0, images, o, LabeledImages.PIXELS);
        }
    }
}

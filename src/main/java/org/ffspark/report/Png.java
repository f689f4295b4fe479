package org.ffspark.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** Small PNG renderings for reports: grey images, diverging heat maps, overlays and their colour bar. Pure Java2D. */
public final class Png {
    private Png() {}

    /** A 28x28 grey image (values in [0,1]) scaled up {@code scale} times. */
    public static byte[] grey(float[] v, int scale) {
        BufferedImage img = new BufferedImage(28 * scale, 28 * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 28 * scale; y++) {
            for (int x = 0; x < 28 * scale; x++) {
                int g = Math.round(255 * clamp(v[(y / scale) * 28 + x / scale]));
                img.setRGB(x, y, (g << 16) | (g << 8) | g);
            }
        }
        return encode(img);
    }

    /** A 28x28 map in a blue-white-red diverging palette, symmetric around 0 and scaled to its own largest |value|. */
    public static byte[] heat(float[] m, int scale, float[] under) {
        return heat(m, scale, under, maxAbs(m));
    }

    /** The largest |value| of {@code m} (at least 1e-12, so a blank map divides safely). */
    public static float maxAbs(float[] m) {
        float max = 1e-12f;
        for (float f : m) {
            max = Math.max(max, Math.abs(f));
        }
        return max;
    }

    /** As {@link #heat(float[], int, float[])}, with -max blue, 0 white and +max red (a scale shared by several maps). */
    public static byte[] heat(float[] m, int scale, float[] under, float max) {
        BufferedImage img = new BufferedImage(28 * scale, 28 * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 28 * scale; y++) {
            for (int x = 0; x < 28 * scale; x++) {
                int i = (y / scale) * 28 + x / scale;
                float t = Math.max(-1f, Math.min(1f, m[i] / max));
                int r = t > 0 ? 255 : Math.round(255 * (1 + t));
                int b = t < 0 ? 255 : Math.round(255 * (1 - t));
                int g = Math.round(255 * (1 - Math.abs(t)));
                if (under != null) {  // overlay: darken by the image
                    float k = 1 - 0.6f * clamp(under[i]);
                    r = Math.round(r * k);
                    g = Math.round(g * k);
                    b = Math.round(b * k);
                }
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return encode(img);
    }

    /**
     * The legend of {@link #heat}'s diverging scale: a horizontal bar from -max (blue) through 0 (white) to +max (red),
     * with the three values written under it ({@code max} as given, e.g. 1 for maps scaled to their own maximum).
     */
    public static byte[] colourBar(float max, String low, String high) {
        int w = 300;
        int h = 40;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, w, h);
        for (int x = 10; x < w - 10; x++) {
            float t = 2f * (x - 10) / (w - 21) - 1f;
            int r = t > 0 ? 255 : Math.round(255 * (1 + t));
            int b = t < 0 ? 255 : Math.round(255 * (1 - t));
            int gr = Math.round(255 * (1 - Math.abs(t)));
            g.setColor(new java.awt.Color(r, gr, b));
            g.drawLine(x, 2, x, 16);
        }
        g.setColor(java.awt.Color.DARK_GRAY);
        g.drawRect(10, 2, w - 21, 14);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        String lo = String.format(java.util.Locale.ROOT, "-%.3g %s", max, low);
        String hi = String.format(java.util.Locale.ROOT, "+%.3g %s", max, high);
        g.drawString(lo, 10, 32);
        g.drawString("0", w / 2 - 3, 32);
        g.drawString(hi, w - 10 - g.getFontMetrics().stringWidth(hi), 32);
        g.dispose();
        return encode(img);
    }

    static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    static byte[] encode(BufferedImage img) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ImageIO.write(img, "png", b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

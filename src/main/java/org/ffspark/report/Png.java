package org.ffspark.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** Small PNG renderings for reports: grey images, diverging heat maps, overlays, line charts. Pure Java2D. */
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

    /** A 28x28 map in a blue-white-red diverging palette, symmetric around 0 ({@code max} = the largest |value|). */
    public static byte[] heat(float[] m, int scale, float[] under) {
        float max = 1e-12f;
        for (float f : m) {
            max = Math.max(max, Math.abs(f));
        }
        BufferedImage img = new BufferedImage(28 * scale, 28 * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 28 * scale; y++) {
            for (int x = 0; x < 28 * scale; x++) {
                int i = (y / scale) * 28 + x / scale;
                float t = m[i] / max;
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

    /** A line chart of several series over x in [0,1], each drawn in its own colour, with axes. */
    public static byte[] lines(float[][] series, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(java.awt.Color.GRAY);
        int pad = 30;
        g.drawLine(pad, height - pad, width - 10, height - pad);
        g.drawLine(pad, 10, pad, height - pad);
        java.awt.Color[] colours = {new java.awt.Color(0xd62728), new java.awt.Color(0x1f77b4), new java.awt.Color(0x2ca02c),
                new java.awt.Color(0x9467bd), new java.awt.Color(0x7f7f7f), new java.awt.Color(0xff7f0e)};
        g.setStroke(new java.awt.BasicStroke(2f));
        for (int s = 0; s < series.length; s++) {
            g.setColor(colours[s % colours.length]);
            float[] v = series[s];
            for (int k = 1; k < v.length; k++) {
                int x0 = pad + (k - 1) * (width - pad - 10) / (v.length - 1);
                int x1 = pad + k * (width - pad - 10) / (v.length - 1);
                int y0 = height - pad - Math.round(clamp(v[k - 1]) * (height - pad - 10));
                int y1 = height - pad - Math.round(clamp(v[k]) * (height - pad - 10));
                g.drawLine(x0, y0, x1, y1);
            }
        }
        g.dispose();
        return encode(img);
    }

    /**
     * A line chart of series given as points (x[k], y[k]), on the axes [0, xMax] x [yMin, yMax], in the colours of
     * {@link #lines} in order, with the axis ranges written at the ends of the axes.
     */
    public static byte[] chart(double[][] xs, double[][] ys, double xMax, double yMin, double yMax, int width, int height,
                               String xLabel, String yLabel) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 48;
        int bottom = 34;
        int top = 10;
        int right = 12;
        int w = width - left - right;
        int h = height - top - bottom;
        g.setColor(java.awt.Color.GRAY);
        g.drawLine(left, top + h, left + w, top + h);
        g.drawLine(left, top, left, top + h);
        g.setColor(java.awt.Color.DARK_GRAY);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        g.drawString(String.format(java.util.Locale.ROOT, "%.3g", yMax), 2, top + 10);
        g.drawString(String.format(java.util.Locale.ROOT, "%.3g", yMin), 2, top + h);
        g.drawString("0", left, top + h + 14);
        String xm = String.format(java.util.Locale.ROOT, "%.4g", xMax);
        g.drawString(xm, left + w - g.getFontMetrics().stringWidth(xm), top + h + 14);
        g.drawString(xLabel, left + w / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, top + h + 28);
        g.drawString(yLabel, left + 4, top + 10);
        java.awt.Color[] colours = {new java.awt.Color(0xd62728), new java.awt.Color(0x1f77b4), new java.awt.Color(0x2ca02c),
                new java.awt.Color(0x9467bd), new java.awt.Color(0x7f7f7f), new java.awt.Color(0xff7f0e)};
        g.setStroke(new java.awt.BasicStroke(2f));
        for (int s = 0; s < xs.length; s++) {
            g.setColor(colours[s % colours.length]);
            int px = -1;
            int py = -1;
            for (int k = 0; k < xs[s].length; k++) {
                int x = left + (int) Math.round(Math.max(0, Math.min(1, xs[s][k] / xMax)) * w);
                int y = top + h - (int) Math.round(Math.max(0, Math.min(1, (ys[s][k] - yMin) / (yMax - yMin))) * h);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                g.fillOval(x - 2, y - 2, 5, 5);
                px = x;
                py = y;
            }
        }
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

package org.ffspark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's line charts, drawn by XChart: axes with ticks and titles, a legend, RANDOM as a dashed grey floor. */
public final class Charts {
    private static final Color[] COLOURS = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd),
            new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0xbcbd22)};

    private Charts() {}

    /** One named series of points (x[k], y[k]). */
    public record Series(String name, double[] x, double[] y) {}

    /**
     * A PNG line chart of {@code series} with the given title and axis titles; a series whose name starts with
     * {@code RANDOM} is drawn dashed (the floor every method must beat; grey, then black), the others each in their own
     * colour with markers.
     */
    public static byte[] lines(String title, String xTitle, String yTitle, List<Series> series, double yMin, double yMax) {
        XYChart c = new XYChartBuilder().width(560).height(360).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        Styler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setYAxisMin(yMin);
        c.getStyler().setYAxisMax(yMax);
        c.getStyler().setXAxisDecimalPattern("0.##");
        int k = 0;
        int floors = 0;
        for (Series one : series) {
            XYSeries xy = c.addSeries(one.name(), one.x(), one.y());
            if (one.name().startsWith("RANDOM")) {
                xy.setLineColor(floors++ == 0 ? Color.GRAY : Color.BLACK);
                xy.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
                xy.setMarker(SeriesMarkers.NONE);
            } else {
                Color colour = COLOURS[k++ % COLOURS.length];
                xy.setLineColor(colour);
                xy.setMarkerColor(colour);
                xy.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        try {
            return BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

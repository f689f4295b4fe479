package org.ffspark.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ffspark.saliency.Faithfulness;

/**
 * The saliency report's page, from data already gathered: provenance; the faithfulness table (areas with 95%
 * intervals, zero and ROAD baselines) and mean curves per method, drawn with XChart; per-class mean maps of the
 * primary method for correct and misclassified examples on one shared colour scale; examples with their per-layer
 * maps; FF beside MLP maps when both were computed. Every map has a diverging colour scale with its legend.
 */
public final class SaliencyReport {
    /** The maps the report shows: FF occlusion (the paper's), else the MLP's integrated gradients, else the first. */
    public static final List<String> PRIMARY_ORDER = List.of("FF_OCCLUSION", "MLP_INTEGRATED_GRADIENTS");

    /** Where the maps came from. */
    public record Provenance(String saliency, String data, String split, String modelVersion, String runId) {}

    /** One example with its primary map ({@code pixels} in [0,1]) and, for FF occlusion, each layer's map (else null). */
    public record Example(long id, int trueLabel, int predictedLabel, int target, float[] pixels, float[] map, float[][] layerMaps) {}

    /** One example with the maps of two methods. */
    public record Pair(long id, int label, float[] pixels, float[] mapA, float[] mapB) {}

    /** Per true label, the mean map of a group of examples and how many maps it averages. */
    public record ClassMeans(String title, Map<Integer, float[]> means, Map<Integer, Integer> counts) {}

    private SaliencyReport() {}

    /** The method whose maps are shown. */
    public static String primary(List<MethodSummary> table) {
        List<String> methods = table.stream().map(MethodSummary::method).toList();
        for (String m : PRIMARY_ORDER) {
            if (methods.contains(m)) {
                return m;
            }
        }
        return methods.stream().filter(m -> !m.startsWith("RANDOM")).findFirst().orElse(methods.get(0));
    }

    /** The page. */
    public static Html page(Provenance p, List<MethodSummary> table, List<ClassMeans> classMeans, List<Example> examples,
                            List<Pair> pairs) {
        String primary = primary(table);
        Html h = new Html("ffspark saliency report").el("h1", (primary.startsWith("MLP_") ? "MLP baseline" : "FF") + " saliency report");
        h.el("h2", "Provenance").raw("<table>").row("saliency data", p.saliency()).row("images", p.data() + " (" + p.split() + ")")
                .row("model version (params sha256)", p.modelVersion()).row("saliency run", p.runId()).raw("</table>");
        faithfulness(h, table);
        h.el("h2", "Colour scale").el("p", "Blue: the pixel argues against the explained label; white: no effect; red: it supports "
                + "the label. Example maps are scaled to their own largest absolute value; the class means of a group share one scale.")
                .img("colour-scale.png", Png.colourBar(1f, "against", "for"), "colour scale");
        for (ClassMeans g : classMeans) {
            classMeans(h, primary, g);
        }
        h.el("h2", "Examples: image, " + primary + " map, overlay" + (examples.stream().anyMatch(x -> x.layerMaps() != null)
                ? ", then each layer's own map" : "")).raw("<table class=\"grid\"><tr><th>id</th><th>true</th><th>predicted</th>"
                + "<th>explained</th><th>image</th><th>map</th><th>overlay</th><th>per layer</th></tr>");
        for (Example x : examples) {
            h.raw("<tr><td>" + x.id() + "</td><td>" + x.trueLabel() + "</td><td>" + x.predictedLabel() + "</td><td>" + x.target() + "</td><td>")
                    .img("ex-" + x.id() + "-image.png", Png.grey(x.pixels(), 3), "image " + x.id()).raw("</td><td>")
                    .img("ex-" + x.id() + "-map.png", Png.heat(x.map(), 3, null), "map " + x.id()).raw("</td><td>")
                    .img("ex-" + x.id() + "-overlay.png", Png.heat(x.map(), 3, x.pixels()), "overlay " + x.id()).raw("</td><td>");
            if (x.layerMaps() != null) {
                for (int l = 0; l < x.layerMaps().length; l++) {
                    h.raw("L" + (l + 1) + " ").img("ex-" + x.id() + "-layer" + (l + 1) + ".png", Png.heat(x.layerMaps()[l], 2, null),
                            "layer " + (l + 1) + " map " + x.id());
                }
            }
            h.raw("</td></tr>");
        }
        h.raw("</table>");
        if (!pairs.isEmpty()) {
            String a = PRIMARY_ORDER.get(0);
            String b = PRIMARY_ORDER.get(1);
            h.el("h2", "Side by side: " + a + " (FF) and " + b + " (MLP baseline), each explaining its own prediction")
                    .raw("<table class=\"grid\"><tr><th>id</th><th>true</th><th>image</th><th>" + a + "</th><th>" + b + "</th></tr>");
            for (Pair x : pairs) {
                h.raw("<tr><td>" + x.id() + "</td><td>" + x.label() + "</td><td>")
                        .img("side-" + x.id() + "-image.png", Png.grey(x.pixels(), 3), "image " + x.id()).raw("</td><td>")
                        .img("side-" + x.id() + "-" + a + ".png", Png.heat(x.mapA(), 3, x.pixels()), a + " " + x.id()).raw("</td><td>")
                        .img("side-" + x.id() + "-" + b + ".png", Png.heat(x.mapB(), 3, x.pixels()), b + " " + x.id()).raw("</td></tr>");
            }
            h.raw("</table>");
        }
        return h;
    }

    private static void faithfulness(Html h, List<MethodSummary> table) {
        boolean road = table.stream().allMatch(MethodSummary::hasRoad);
        h.el("h2", "Faithfulness").el("p", "Deletion: the ranked pixels (10..783) are removed in order of decreasing saliency in 28 "
                + "equal steps up to all 774; insertion: they are put back in the same order, starting from none. A removed pixel is "
                + "0 (the paper's baseline)" + (road ? " or, in the ROAD columns, imputed from its neighbours with noise (ROAD's noisy "
                + "linear imputation, which keeps the images closer to the data)" : "") + ". Each point is the explained label's "
                + "softmax probability under the model's own prediction rule. Lower deletion and higher insertion areas are more "
                + "faithful; RANDOM is the floor. Intervals: 95%, over the maps.");
        h.raw("<table><tr><th>method</th><th>maps</th><th>deletion area</th><th>insertion area</th>"
                + (road ? "<th>ROAD deletion</th><th>ROAD insertion</th>" : "") + "</tr>");
        for (MethodSummary r : table) {
            List<Object> cells = new ArrayList<>(List.of(r.method(), r.maps(), pm(r.deletionArea(), r.deletionHalfWidth()),
                    pm(r.insertionArea(), r.insertionHalfWidth())));
            if (road) {
                cells.add(String.format(Locale.ROOT, "%.4f", r.roadDeletionArea()));
                cells.add(String.format(Locale.ROOT, "%.4f", r.roadInsertionArea()));
            }
            h.row(null, cells.toArray());
        }
        h.raw("</table>");
        h.el("h3", "Mean curves").raw("<table class=\"grid\"><tr><td>")
                .img("deletion-curves.png", curves("Deletion, baseline 0", table, MethodSummary::deletionCurve), "deletion curves")
                .raw("</td><td>")
                .img("insertion-curves.png", curves("Insertion, baseline 0", table, MethodSummary::insertionCurve), "insertion curves")
                .raw("</td></tr>");
        if (road) {
            h.raw("<tr><td>").img("road-deletion-curves.png", curves("Deletion, ROAD imputation", table, MethodSummary::roadDeletionCurve),
                    "ROAD deletion curves").raw("</td><td>").img("road-insertion-curves.png",
                    curves("Insertion, ROAD imputation", table, MethodSummary::roadInsertionCurve), "ROAD insertion curves")
                    .raw("</td></tr>");
        }
        h.raw("</table>");
    }

    private static byte[] curves(String title, List<MethodSummary> table, java.util.function.Function<MethodSummary, float[]> curve) {
        double[] x = new double[Faithfulness.POINTS];
        for (int s = 0; s < x.length; s++) {
            x[s] = Faithfulness.removedAfter(s) / (double) Faithfulness.RANKED;
        }
        List<Charts.Series> series = new ArrayList<>();
        for (MethodSummary r : table) {
            float[] c = curve.apply(r);
            double[] y = new double[c.length];
            for (int s = 0; s < y.length; s++) {
                y[s] = c[s];
            }
            series.add(new Charts.Series(r.method(), x, y));
        }
        String xTitle = title.startsWith("Deletion") ? "fraction of pixels removed" : "fraction of pixels put back";
        return Charts.lines(title, xTitle, "probability of the explained label", series, 0, 1);
    }

    private static void classMeans(Html h, String primary, ClassMeans g) {
        float max = 1e-12f;
        for (float[] m : g.means().values()) {
            max = Math.max(max, Png.maxAbs(m));
        }
        String id = g.title().replaceAll("[^a-z]", "-");
        h.el("h2", "Per-class mean " + primary + " maps: " + g.title() + " examples, by true label")
                .img("class-scale-" + id + ".png", Png.colourBar(max, "", ""), "colour scale of the " + g.title() + " class means");
        if (g.means().isEmpty()) {
            h.el("p", "No " + g.title() + " examples.");
            return;
        }
        h.raw("<table class=\"grid\"><tr>");
        for (Map.Entry<Integer, float[]> e : g.means().entrySet()) {
            h.raw("<td>" + e.getKey() + " (" + g.counts().get(e.getKey()) + ")<br>")
                    .img("class-" + id + "-" + e.getKey() + ".png", Png.heat(e.getValue(), 3, null, max), "class " + e.getKey()).raw("</td>");
        }
        h.raw("</tr></table>");
    }

    private static String pm(double mean, double half) {
        return String.format(Locale.ROOT, "%.4f ± %.4f", mean, half);
    }
}

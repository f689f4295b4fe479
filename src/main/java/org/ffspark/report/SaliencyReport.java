package org.ffspark.report;

import java.util.List;
import java.util.Map;

/**
 * The saliency report's page, from data already gathered: provenance, the faithfulness table and mean curves per
 * method, per-class mean maps of the primary method, a grid of correct and misclassified examples, and FF beside
 * MLP maps when both were computed.
 */
public final class SaliencyReport {
    /** The maps the report shows: FF occlusion (the paper's), else the MLP's integrated gradients, else the first. */
    public static final List<String> PRIMARY_ORDER = List.of("FF_OCCLUSION", "MLP_INTEGRATED_GRADIENTS");

    /** Where the maps came from. */
    public record Provenance(String saliency, String data, String split, String modelVersion, String runId) {}

    /** One example with its primary map ({@code pixels} in [0,1]). */
    public record Example(long id, int trueLabel, int predictedLabel, float[] pixels, float[] map) {}

    /** One example with the maps of two methods. */
    public record Pair(long id, int label, float[] pixels, float[] mapA, float[] mapB) {}

    private SaliencyReport() {}

    /** The method whose maps are shown. */
    public static String primary(List<MethodSummary> table) {
        List<String> methods = table.stream().map(MethodSummary::method).toList();
        for (String m : PRIMARY_ORDER) {
            if (methods.contains(m)) {
                return m;
            }
        }
        return methods.stream().filter(m -> !m.equals("RANDOM")).findFirst().orElse(methods.get(0));
    }

    /** The page; {@code classMeans}: per true label, the mean primary map and the number of maps averaged. */
    public static Html page(Provenance p, List<MethodSummary> table, Map<Integer, float[]> classMeans, Map<Integer, Integer> counts,
                            List<Example> examples, List<Pair> pairs) {
        String primary = primary(table);
        Html h = new Html("ffspark saliency report").el("h1", (primary.startsWith("MLP_") ? "MLP baseline" : "FF") + " saliency report");
        h.el("h2", "Provenance").raw("<table>").row("saliency data", p.saliency()).row("images", p.data() + " (" + p.split() + ")")
                .row("model version (params sha256)", p.modelVersion()).row("saliency run", p.runId()).raw("</table>");
        h.el("h2", "Faithfulness").el("p", "Deletion: pixels removed in order of saliency, 28 steps of 28, baseline 0; insertion: "
                + "added to a blank image in the same order. Each point is the target's softmax probability over the ten label "
                + "scores (FF scores, or the MLP's own probabilities); areas are trapezoids over the fraction (lower deletion, "
                + "higher insertion = more faithful).");
        h.raw("<table><tr><th>method</th><th>maps</th><th>deletion area</th><th>insertion area</th></tr>");
        for (MethodSummary r : table) {
            h.row(null, r.method(), r.maps(), String.format("%.4f", r.deletionArea()), String.format("%.4f", r.insertionArea()));
        }
        h.raw("</table>");
        float[][] del = table.stream().map(MethodSummary::deletionCurve).toArray(float[][]::new);
        float[][] ins = table.stream().map(MethodSummary::insertionCurve).toArray(float[][]::new);
        StringBuilder legend = new StringBuilder("Order of lines (colours red, blue, green, purple, grey, orange): ");
        table.forEach(r -> legend.append(r.method()).append(" "));
        h.el("h3", "Mean deletion and insertion curves").el("p", legend.toString())
                .img("deletion-curves.png", Png.lines(del, 420, 260), "deletion curves")
                .img("insertion-curves.png", Png.lines(ins, 420, 260), "insertion curves");
        h.el("h2", "Per-class mean " + primary + " maps (by true label)").raw("<table class=\"grid\"><tr>");
        for (Map.Entry<Integer, float[]> e : classMeans.entrySet()) {
            if (e.getKey() == 5) {
                h.raw("</tr><tr>");
            }
            h.raw("<td>" + e.getKey() + " (" + counts.get(e.getKey()) + ")<br>")
                    .img("class-" + e.getKey() + ".png", Png.heat(e.getValue(), 4, null), "class " + e.getKey()).raw("</td>");
        }
        h.raw("</tr></table>");
        h.el("h2", "Examples: image, " + primary + " map, overlay").raw("<table class=\"grid\"><tr><th>id</th><th>true</th>"
                + "<th>predicted</th><th>image</th><th>map</th><th>overlay</th></tr>");
        for (Example x : examples) {
            h.raw("<tr><td>" + x.id() + "</td><td>" + x.trueLabel() + "</td><td>" + x.predictedLabel() + "</td><td>")
                    .img("ex-" + x.id() + "-image.png", Png.grey(x.pixels(), 3), "image " + x.id()).raw("</td><td>")
                    .img("ex-" + x.id() + "-map.png", Png.heat(x.map(), 3, null), "map " + x.id()).raw("</td><td>")
                    .img("ex-" + x.id() + "-overlay.png", Png.heat(x.map(), 3, x.pixels()), "overlay " + x.id()).raw("</td></tr>");
        }
        h.raw("</table>");
        if (!pairs.isEmpty()) {
            String a = PRIMARY_ORDER.get(0);
            String b = PRIMARY_ORDER.get(1);
            h.el("h2", "Side by side: " + a + " (FF) and " + b + " (MLP baseline)").raw("<table class=\"grid\"><tr><th>id</th>"
                    + "<th>true</th><th>image</th><th>" + a + "</th><th>" + b + "</th></tr>");
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
}

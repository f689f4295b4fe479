package org.ffspark.job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.Storage;
import org.ffspark.report.Png;
import org.ffspark.saliency.Faithfulness;

/**
 * The report job: reads the saliency Parquet and writes a self-contained {@code report.html} (PNG images embedded
 * as data URIs, also saved under {@code images/}): per-class mean FF occlusion maps (the paper's figures), a grid of
 * correct and misclassified examples (image, map, overlay), the faithfulness table and mean curves per method, and
 * the run's provenance. Written atomically.
 */
public final class ReportJob {
    public static final String PRIMARY = "FF_OCCLUSION";

    /** The method whose maps the report shows: FF_OCCLUSION, else (MLP baseline) integrated gradients, else the first. */
    static String primary(List<MethodRow> table) {
        List<String> methods = table.stream().map(MethodRow::method).toList();
        for (String m : List.of(PRIMARY, "MLP_INTEGRATED_GRADIENTS")) {
            if (methods.contains(m)) {
                return m;
            }
        }
        return methods.stream().filter(m -> !m.equals("RANDOM")).findFirst().orElse(methods.get(0));
    }

    /** Mean faithfulness of one method. */
    public record MethodRow(String method, long maps, double deletionArea, double insertionArea, float[] deletionCurve, float[] insertionCurve) {}

    private ReportJob() {}

    public static List<MethodRow> run(SparkSession spark, Storage storage, String saliency, String data, Split split, String out, boolean overwrite) {
        try (AtomicOutput o = AtomicOutput.begin(storage, storage.path(out), RunIds.next(), overwrite)) {
            // Several outputs (e.g. of an FF and of an MLP model on the same images) are read as one: same schema.
            Dataset<Row> df = java.util.Arrays.stream(saliency.split(",")).map(p -> spark.read().parquet(p.trim()))
                    .reduce(Dataset::unionByName).orElseThrow().cache();
            List<MethodRow> table = faithfulness(df);
            String primary = primary(table);
            LabeledImages images = IdxDataset.read(storage, data, split).images();
            StringBuilder html = new StringBuilder();
            html.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>ffspark saliency report</title><style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
                .append("img{image-rendering:pixelated;margin:2px}.grid td{text-align:center}</style></head><body>")
                .append("<h1>").append(primary.startsWith("MLP_") ? "MLP baseline" : "FF").append(" saliency report</h1>");
            Row any = df.select("model_version", "run_id").first();
            html.append("<h2>Provenance</h2><table><tr><th>saliency data</th><td>").append(esc(saliency)).append("</td></tr>")
                .append("<tr><th>images</th><td>").append(esc(data)).append(" (").append(split.id()).append(")</td></tr>")
                .append("<tr><th>model version (params sha256)</th><td>").append(esc(any.getString(0))).append("</td></tr>")
                .append("<tr><th>saliency run</th><td>").append(esc(any.getString(1))).append("</td></tr></table>");
            html.append("<h2>Faithfulness</h2><p>Deletion: pixels removed in order of saliency, 28 steps of 28, baseline 0; insertion: added to a blank image in the same order. ")
                .append("Each point is the target's softmax probability over the ten label scores (FF scores, or the MLP's own probabilities); areas are trapezoids over the fraction (lower deletion, higher insertion = more faithful).</p>")
                .append("<table><tr><th>method</th><th>maps</th><th>deletion area</th><th>insertion area</th></tr>");
            for (MethodRow r : table) {
                html.append(String.format("<tr><td>%s</td><td>%d</td><td>%.4f</td><td>%.4f</td></tr>", r.method(), r.maps(), r.deletionArea(), r.insertionArea()));
            }
            html.append("</table>");
            float[][] del = table.stream().map(MethodRow::deletionCurve).toArray(float[][]::new);
            float[][] ins = table.stream().map(MethodRow::insertionCurve).toArray(float[][]::new);
            StringBuilder legend = new StringBuilder("<p>Order of lines (colours red, blue, green, purple, grey, orange): ");
            table.forEach(r -> legend.append(r.method()).append(" "));
            html.append("<h3>Mean deletion and insertion curves</h3>").append(legend).append("</p>")
                .append(img(storage, o, "deletion-curves.png", Png.lines(del, 420, 260), "deletion curves"))
                .append(img(storage, o, "insertion-curves.png", Png.lines(ins, 420, 260), "insertion curves"));
            // Per-class mean maps of the primary method, by true label.
            Map<Integer, float[]> sums = new TreeMap<>();
            Map<Integer, Integer> counts = new TreeMap<>();
            for (Row r : df.filter("method = '" + primary + "'").select("true_label", "map").collectAsList()) {
                float[] s = sums.computeIfAbsent(r.getInt(0), k -> new float[784]);
                List<Object> m = r.getList(1);
                for (int i = 0; i < 784; i++) {
                    s[i] += (Float) m.get(i);
                }
                counts.merge(r.getInt(0), 1, Integer::sum);
            }
            html.append("<h2>Per-class mean ").append(primary).append(" maps (by true label)</h2><table class=\"grid\"><tr>");
            for (Map.Entry<Integer, float[]> e : sums.entrySet()) {
                float[] mean = e.getValue();
                for (int i = 0; i < 784; i++) {
                    mean[i] /= counts.get(e.getKey());
                }
                if (e.getKey() == 5) {
                    html.append("</tr><tr>");
                }
                html.append("<td>").append(e.getKey()).append(" (").append(counts.get(e.getKey())).append(")<br>")
                    .append(img(storage, o, "class-" + e.getKey() + ".png", Png.heat(mean, 4, null), "class " + e.getKey())).append("</td>");
            }
            html.append("</tr></table>");
            html.append("<h2>Examples: image, ").append(primary).append(" map, overlay</h2><table class=\"grid\"><tr><th>id</th><th>true</th><th>predicted</th><th>image</th><th>map</th><th>overlay</th></tr>");
            List<Row> picks = new ArrayList<>(df.filter("method = '" + primary + "' AND true_label = predicted_label").orderBy("id").limit(6).collectAsList());
            picks.addAll(df.filter("method = '" + primary + "' AND true_label != predicted_label").orderBy("id").limit(6).collectAsList());
            for (Row r : picks) {
                long id = r.getLong(r.fieldIndex("id"));
                float[] px = new float[784];
                images.copyPixels((int) id, px, 0);
                List<Object> ml = r.getList(r.fieldIndex("map"));
                float[] map = new float[784];
                for (int i = 0; i < 784; i++) {
                    map[i] = (Float) ml.get(i);
                }
                html.append("<tr><td>").append(id).append("</td><td>").append(r.getInt(r.fieldIndex("true_label")))
                    .append("</td><td>").append(r.getInt(r.fieldIndex("predicted_label"))).append("</td><td>")
                    .append(img(storage, o, "ex-" + id + "-image.png", Png.grey(px, 3), "image " + id)).append("</td><td>")
                    .append(img(storage, o, "ex-" + id + "-map.png", Png.heat(map, 3, null), "map " + id)).append("</td><td>")
                    .append(img(storage, o, "ex-" + id + "-overlay.png", Png.heat(map, 3, px), "overlay " + id)).append("</td></tr>");
            }
            html.append("</table>");
            List<String> methods = table.stream().map(MethodRow::method).toList();
            if (methods.contains(PRIMARY) && methods.contains("MLP_INTEGRATED_GRADIENTS")) {
                html.append(sideBySide(storage, o, df, images, PRIMARY, "MLP_INTEGRATED_GRADIENTS"));
            }
            html.append("</body></html>");
            storage.writeAll(new Path(o.dir(), "report.html"), html.toString().getBytes(StandardCharsets.UTF_8));
            df.unpersist();
            o.commit();
            return table;
        }
    }

    /** The first eight images with maps of both methods: image, map of {@code a}, map of {@code b}. */
    static String sideBySide(Storage storage, AtomicOutput o, Dataset<Row> df, LabeledImages images, String a, String b) {
        StringBuilder h = new StringBuilder("<h2>Side by side: ").append(a).append(" (FF) and ").append(b).append(" (MLP baseline)</h2>")
                .append("<table class=\"grid\"><tr><th>id</th><th>true</th><th>image</th><th>").append(a).append("</th><th>").append(b).append("</th></tr>");
        List<Row> rows = df.filter("method IN ('" + a + "', '" + b + "')").groupBy("id").count().filter("count >= 2").orderBy("id").limit(8).collectAsList();
        for (Row idRow : rows) {
            long id = idRow.getLong(0);
            float[] px = new float[784];
            images.copyPixels((int) id, px, 0);
            h.append("<tr><td>").append(id).append("</td><td>").append(images.label((int) id)).append("</td><td>")
                    .append(img(storage, o, "side-" + id + "-image.png", Png.grey(px, 3), "image " + id)).append("</td>");
            for (String m : List.of(a, b)) {
                List<Object> ml = df.filter("method = '" + m + "' AND id = " + id).select("map").first().getList(0);
                float[] map = new float[784];
                for (int i = 0; i < 784; i++) {
                    map[i] = (Float) ml.get(i);
                }
                h.append("<td>").append(img(storage, o, "side-" + id + "-" + m + ".png", Png.heat(map, 3, px), m + " " + id)).append("</td>");
            }
            h.append("</tr>");
        }
        return h.append("</table>").toString();
    }

    static List<MethodRow> faithfulness(Dataset<Row> df) {
        List<MethodRow> rows = new ArrayList<>();
        List<String> methods = df.select("method").distinct().orderBy("method").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        for (String m : methods) {
            Dataset<Row> d = df.filter(df.col("method").equalTo(m));
            Row a = d.agg(org.apache.spark.sql.functions.count("id"), org.apache.spark.sql.functions.avg("deletion_area"),
                    org.apache.spark.sql.functions.avg("insertion_area")).first();
            float[] dc = new float[Faithfulness.POINTS];
            float[] ic = new float[Faithfulness.POINTS];
            List<String> exprs = new ArrayList<>(curveAverages("deletion_curve"));
            exprs.addAll(curveAverages("insertion_curve"));
            Row c = d.selectExpr(exprs.toArray(new String[0])).first();
            for (int k = 0; k < Faithfulness.POINTS; k++) {
                dc[k] = (float) c.getDouble(k);
                ic[k] = (float) c.getDouble(Faithfulness.POINTS + k);
            }
            rows.add(new MethodRow(m, a.getLong(0), a.getDouble(1), a.getDouble(2), dc, ic));
        }
        return rows;
    }

    private static List<String> curveAverages(String col) {
        List<String> e = new ArrayList<>();
        for (int k = 0; k < Faithfulness.POINTS; k++) {
            e.add("avg(" + col + "[" + k + "])");
        }
        return e;
    }

    static String img(Storage storage, AtomicOutput o, String name, byte[] png, String alt) {
        storage.writeAll(new Path(new Path(o.dir(), "images"), name), png);
        return "<img alt=\"" + esc(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

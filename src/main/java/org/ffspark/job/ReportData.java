package org.ffspark.job;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.stddev_samp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.ffspark.report.MethodSummary;
import org.ffspark.report.SaliencyReport;
import org.ffspark.saliency.Faithfulness;

/** What the saliency report shows, gathered from the saliency Parquet by Spark (aggregates in the executors). */
final class ReportData {
    private ReportData() {}

    /** Mean areas with 95% half-widths and mean curves per method, ROAD's too when present, in method order. */
    static List<MethodSummary> faithfulness(Dataset<Row> df) {
        boolean road = Arrays.asList(df.columns()).contains("road_deletion_area") && !df.filter("road_deletion_area IS NOT NULL").isEmpty();
        List<String> curveCols = road ? List.of("deletion_curve", "insertion_curve", "road_deletion_curve", "road_insertion_curve")
                : List.of("deletion_curve", "insertion_curve");
        List<MethodSummary> rows = new ArrayList<>();
        for (String m : df.select("method").distinct().orderBy("method").as(Encoders.STRING()).collectAsList()) {
            Dataset<Row> d = df.filter(col("method").equalTo(m));
            List<Column> aggs = new ArrayList<>(List.of(count("id"), avg("deletion_area"), avg("insertion_area"),
                    stddev_samp("deletion_area"), stddev_samp("insertion_area")));
            if (road) {
                aggs.addAll(List.of(avg("road_deletion_area"), avg("road_insertion_area")));
            }
            for (String c : curveCols) {
                for (int k = 0; k < Faithfulness.POINTS; k++) {
                    aggs.add(avg(col(c).getItem(k)));
                }
            }
            Row a = d.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
            long n = a.getLong(0);
            int at = road ? 7 : 5;
            float[][] curves = new float[curveCols.size()][Faithfulness.POINTS];
            for (int c = 0; c < curves.length; c++) {
                for (int k = 0; k < Faithfulness.POINTS; k++) {
                    curves[c][k] = (float) a.getDouble(at + c * Faithfulness.POINTS + k);
                }
            }
            rows.add(new MethodSummary(m, n, a.getDouble(1), a.getDouble(2), curves[0], curves[1], halfWidth(a, 3, n),
                    halfWidth(a, 4, n), road ? a.getDouble(5) : null, road ? a.getDouble(6) : null,
                    road ? curves[2] : null, road ? curves[3] : null));
        }
        return rows;
    }

    private static double halfWidth(Row a, int i, long n) {
        return a.isNullAt(i) ? 0 : 1.96 * a.getDouble(i) / Math.sqrt(n);
    }

    /**
     * The maps of {@code method} with one target per example: the predicted label's when the run explained it, else
     * the true label's (a run with --target TRUE), so --target ALL runs are not averaged over all ten labels.
     */
    static Dataset<Row> oneTarget(Dataset<Row> df, String method) {
        Dataset<Row> maps = df.filter(col("method").equalTo(method));
        Dataset<Row> predicted = maps.filter(col("target_label").equalTo(col("predicted_label")));
        return predicted.isEmpty() ? maps.filter(col("target_label").equalTo(col("true_label"))) : predicted;
    }

    /** Mean map per true label of the correctly ({@code correct}) or wrongly predicted examples in {@code maps}. */
    static SaliencyReport.ClassMeans classMeans(Dataset<Row> maps, boolean correct, String title) {
        Column right = col("true_label").equalTo(col("predicted_label"));
        Map<Integer, float[]> means = new TreeMap<>();
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Row r : maps.filter(correct ? right : right.unary_$bang()).select("true_label", "map").collectAsList()) {
            float[] s = means.computeIfAbsent(r.getInt(0), k -> new float[784]);
            float[] m = floats(r.getList(1));
            for (int i = 0; i < 784; i++) {
                s[i] += m[i];
            }
            counts.merge(r.getInt(0), 1, Integer::sum);
        }
        means.forEach((label, s) -> {
            for (int i = 0; i < 784; i++) {
                s[i] /= counts.get(label);
            }
        });
        return new SaliencyReport.ClassMeans(title, means, counts);
    }

    static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Float) values.get(i);
        }
        return out;
    }

    /** The per-layer maps of a row ({@code layer_maps}), or null. */
    static float[][] layerMaps(Row r) {
        int i = r.fieldIndex("layer_maps");
        if (r.isNullAt(i)) {
            return null;
        }
        List<scala.collection.Seq<Float>> layers = r.getList(i);
        float[][] out = new float[layers.size()][];
        for (int l = 0; l < out.length; l++) {
            scala.collection.Seq<Float> seq = layers.get(l);
            out[l] = new float[seq.size()];
            for (int k = 0; k < out[l].length; k++) {
                out[l][k] = seq.apply(k);
            }
        }
        return out;
    }
}

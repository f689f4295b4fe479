package org.ffspark.job;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.Storage;
import org.ffspark.report.Html;
import org.ffspark.report.MethodSummary;
import org.ffspark.report.SaliencyReport;
import org.ffspark.saliency.Faithfulness;

/**
 * The report job: reads the saliency Parquet, gathers what the report shows (faithfulness per method, per-class mean
 * maps, example maps) with Spark, and writes the self-contained {@code report.html} of {@link SaliencyReport} with
 * its images also under {@code images/}, atomically.
 */
public final class ReportJob {
    private ReportJob() {}

    public static List<MethodSummary> run(SparkSession spark, Storage storage, String saliency, String data, Split split, String out,
                                          boolean overwrite) {
        try (AtomicOutput o = AtomicOutput.begin(storage, storage.path(out), RunIds.next(), overwrite)) {
            // Several outputs (e.g. of an FF and of an MLP model on the same images) are read as one: same schema.
            Dataset<Row> df = Arrays.stream(saliency.split(",")).map(p -> spark.read().parquet(p.trim()))
                    .reduce(Dataset::unionByName).orElseThrow().cache();
            List<MethodSummary> table = faithfulness(df);
            String primary = SaliencyReport.primary(table);
            LabeledImages images = IdxDataset.read(storage, data, split).images();
            Row any = df.select("model_version", "run_id").first();
            Dataset<Row> maps = df.filter(col("method").equalTo(primary));
            Map<Integer, float[]> means = new TreeMap<>();
            Map<Integer, Integer> counts = new TreeMap<>();
            for (Row r : maps.select("true_label", "map").collectAsList()) {
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
            Column correct = col("true_label").equalTo(col("predicted_label"));
            List<Row> picks = new ArrayList<>(maps.filter(correct).orderBy("id").limit(6).collectAsList());
            picks.addAll(maps.filter(correct.unary_$bang()).orderBy("id").limit(6).collectAsList());
            List<SaliencyReport.Example> examples = new ArrayList<>();
            for (Row r : picks) {
                long id = r.getLong(r.fieldIndex("id"));
                examples.add(new SaliencyReport.Example(id, r.getInt(r.fieldIndex("true_label")), r.getInt(r.fieldIndex("predicted_label")),
                        pixels(images, id), floats(r.getList(r.fieldIndex("map")))));
            }
            Html page = SaliencyReport.page(new SaliencyReport.Provenance(saliency, data, split.id(), any.getString(0), any.getString(1)),
                    table, means, counts, examples, pairs(df, images, table));
            page.images().forEach((name, png) -> storage.writeAll(new Path(new Path(o.dir(), "images"), name), png));
            storage.writeAll(new Path(o.dir(), "report.html"), page.render().getBytes(StandardCharsets.UTF_8));
            df.unpersist();
            o.commit();
            return table;
        }
    }

    /** The first eight images with maps of both the FF and the MLP primary method, when both were computed. */
    static List<SaliencyReport.Pair> pairs(Dataset<Row> df, LabeledImages images, List<MethodSummary> table) {
        String a = SaliencyReport.PRIMARY_ORDER.get(0);
        String b = SaliencyReport.PRIMARY_ORDER.get(1);
        List<String> methods = table.stream().map(MethodSummary::method).toList();
        List<SaliencyReport.Pair> out = new ArrayList<>();
        if (!methods.contains(a) || !methods.contains(b)) {
            return out;
        }
        Dataset<Row> both = df.filter(col("method").isin(a, b));
        for (Row idRow : both.groupBy("id").count().filter(col("count").geq(2)).orderBy("id").limit(8).collectAsList()) {
            long id = idRow.getLong(0);
            Dataset<Row> ofId = both.filter(col("id").equalTo(id));
            out.add(new SaliencyReport.Pair(id, images.label((int) id), pixels(images, id),
                    floats(ofId.filter(col("method").equalTo(a)).select("map").first().getList(0)),
                    floats(ofId.filter(col("method").equalTo(b)).select("map").first().getList(0))));
        }
        return out;
    }

    /** Mean areas and mean curves per method, in method order. */
    static List<MethodSummary> faithfulness(Dataset<Row> df) {
        List<MethodSummary> rows = new ArrayList<>();
        for (String m : df.select("method").distinct().orderBy("method").as(Encoders.STRING()).collectAsList()) {
            Dataset<Row> d = df.filter(col("method").equalTo(m));
            Row a = d.agg(count("id"), avg("deletion_area"), avg("insertion_area")).first();
            List<Column> curves = new ArrayList<>();
            for (String c : List.of("deletion_curve", "insertion_curve")) {
                for (int k = 0; k < Faithfulness.POINTS; k++) {
                    curves.add(avg(col(c).getItem(k)));
                }
            }
            Row c = d.agg(curves.get(0), curves.subList(1, curves.size()).toArray(new Column[0])).first();
            float[] dc = new float[Faithfulness.POINTS];
            float[] ic = new float[Faithfulness.POINTS];
            for (int k = 0; k < Faithfulness.POINTS; k++) {
                dc[k] = (float) c.getDouble(k);
                ic[k] = (float) c.getDouble(Faithfulness.POINTS + k);
            }
            rows.add(new MethodSummary(m, a.getLong(0), a.getDouble(1), a.getDouble(2), dc, ic));
        }
        return rows;
    }

    private static float[] pixels(LabeledImages images, long id) {
        float[] px = new float[784];
        images.copyPixels((int) id, px, 0);
        return px;
    }

    private static float[] floats(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Float) values.get(i);
        }
        return out;
    }
}

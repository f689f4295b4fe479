package org.ffspark.job;

import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ffspark.data.Split;
import org.ffspark.io.AtomicOutput;
import org.ffspark.io.Storage;
import org.ffspark.report.Html;
import org.ffspark.report.MethodSummary;
import org.ffspark.report.SaliencyReport;

/**
 * The report job: reads the saliency Parquet, gathers what the report shows (faithfulness per method, per-class mean
 * maps of correct and misclassified examples, example maps with their per-layer maps, FF beside MLP) with Spark, and
 * writes the self-contained {@code report.html} of {@link SaliencyReport} with its images also under {@code images/},
 * atomically. The images come from the data set the maps were computed on (IDX or ingest Parquet), matched by id.
 */
public final class ReportJob {
    private ReportJob() {}

    public static List<MethodSummary> run(SparkSession spark, Storage storage, String saliency, String data, Split split, String out,
                                          boolean overwrite) {
        try (AtomicOutput o = AtomicOutput.begin(storage, storage.path(out), RunIds.next(), overwrite)) {
            // Several outputs (e.g. of an FF and of an MLP model on the same images) are read as one: same schema;
            // each model's own RANDOM floor keeps its name apart (RANDOM_FF, RANDOM_MLP).
            String[] paths = saliency.split(",");
            Dataset<Row> df = Arrays.stream(paths).map(p -> tagRandom(spark.read().parquet(p.trim()), paths.length > 1))
                    .reduce((a, b) -> a.unionByName(b, true)).orElseThrow().cache();
            List<MethodSummary> table = ReportData.faithfulness(df);
            String primary = SaliencyReport.primary(table);
            Images images = new Images(TestSets.loadWithIds(spark, storage, data, split));
            Row any = df.select("model_version", "run_id").first();
            Dataset<Row> maps = ReportData.oneTarget(df, primary);
            List<SaliencyReport.ClassMeans> means = List.of(ReportData.classMeans(maps, true, "correctly predicted"),
                    ReportData.classMeans(maps, false, "misclassified"));
            Column correct = col("true_label").equalTo(col("predicted_label"));
            List<Row> picks = new ArrayList<>(maps.filter(correct).orderBy("id").limit(6).collectAsList());
            picks.addAll(maps.filter(correct.unary_$bang()).orderBy("id").limit(6).collectAsList());
            List<SaliencyReport.Example> examples = new ArrayList<>();
            for (Row r : picks) {
                long id = r.getLong(r.fieldIndex("id"));
                examples.add(new SaliencyReport.Example(id, r.getInt(r.fieldIndex("true_label")), r.getInt(r.fieldIndex("predicted_label")),
                        r.getInt(r.fieldIndex("target_label")), images.pixels(id, data),
                        ReportData.floats(r.getList(r.fieldIndex("map"))), ReportData.layerMaps(r)));
            }
            Html page = SaliencyReport.page(new SaliencyReport.Provenance(saliency, data, split.id(), any.getString(0), any.getString(1)),
                    table, means, examples, pairs(df, images, table, data));
            page.images().forEach((name, png) -> storage.writeAll(new Path(new Path(o.dir(), "images"), name), png));
            storage.writeAll(new Path(o.dir(), "report.html"), page.render().getBytes(StandardCharsets.UTF_8));
            df.unpersist();
            o.commit();
            return table;
        }
    }

    /** The first eight images with maps of both the FF and the MLP primary method (each model's own prediction). */
    static List<SaliencyReport.Pair> pairs(Dataset<Row> df, Images images, List<MethodSummary> table, String data) {
        String a = SaliencyReport.PRIMARY_ORDER.get(0);
        String b = SaliencyReport.PRIMARY_ORDER.get(1);
        List<String> methods = table.stream().map(MethodSummary::method).toList();
        List<SaliencyReport.Pair> out = new ArrayList<>();
        if (!methods.contains(a) || !methods.contains(b)) {
            return out;
        }
        Dataset<Row> both = ReportData.oneTarget(df, a).unionByName(ReportData.oneTarget(df, b));
        for (Row idRow : both.groupBy("id").count().filter(col("count").geq(2)).orderBy("id").limit(8).collectAsList()) {
            long id = idRow.getLong(0);
            Dataset<Row> ofId = both.filter(col("id").equalTo(id));
            Row ra = ofId.filter(col("method").equalTo(a)).select("map", "true_label").first();
            Row rb = ofId.filter(col("method").equalTo(b)).select("map").first();
            out.add(new SaliencyReport.Pair(id, ra.getInt(1), images.pixels(id, data), ReportData.floats(ra.getList(0)),
                    ReportData.floats(rb.getList(0))));
        }
        return out;
    }

    /** With {@code tag}, renames the RANDOM maps of an FF run to RANDOM_FF and of an MLP run to RANDOM_MLP. */
    static Dataset<Row> tagRandom(Dataset<Row> run, boolean tag) {
        if (!tag) {
            return run;
        }
        String kind = run.filter(col("method").startsWith("MLP_")).isEmpty() ? "RANDOM_FF" : "RANDOM_MLP";
        return run.withColumn("method", org.apache.spark.sql.functions.when(col("method").equalTo("RANDOM"),
                org.apache.spark.sql.functions.lit(kind)).otherwise(col("method")));
    }

    /** The split's images by id. */
    static final class Images {
        private final TestSets.WithIds set;
        private final Map<Long, Integer> index = new HashMap<>();

        Images(TestSets.WithIds set) {
            this.set = set;
            for (int i = 0; i < set.ids().length; i++) {
                index.put(set.ids()[i], i);
            }
        }

        float[] pixels(long id, String data) {
            Integer i = index.get(id);
            if (i == null) {
                throw new org.ffspark.config.ConfigException("--data = " + data + ": no example with id " + id
                        + " (the saliency maps were computed on another data set)");
            }
            float[] px = new float[784];
            set.images().copyPixels(i, px, 0);
            return px;
        }
    }
}

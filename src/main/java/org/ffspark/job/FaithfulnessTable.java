package org.ffspark.job;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The faithfulness table of saliency runs (Parquet written by {@link SaliencyJob} with ROAD curves): per method, the
 * number of maps and, for the deletion and insertion areas under the zero and the ROAD baseline, the mean over
 * examples with a 95% confidence interval (normal approximation, mean +- 1.96 sd / sqrt(n)), computed by Spark.
 */
public final class FaithfulnessTable {
    /** Mean, sample standard deviation and 95% interval of one area over a method's maps. */
    public record Area(double mean, double sd, double ciLow, double ciHigh) {}

    /** One method of one saliency run; the areas compare with the RANDOM map of the same model. */
    public record Method(String method, long maps, Area deletion, Area insertion, Area roadDeletion, Area roadInsertion,
                         boolean deletionBelowRandom, boolean roadDeletionBelowRandom) {}

    /** A saliency run's table and its model's accuracy on the examples (predicted == true label). */
    public record Run(String saliency, long examples, double accuracy, List<Method> methods) {}

    private static final String[] AREAS = {"deletion_area", "insertion_area", "road_deletion_area", "road_insertion_area"};

    private FaithfulnessTable() {}

    /** The table of the saliency Parquet at {@code dir}; fails when its rows lack ROAD curves or a RANDOM map. */
    public static Run of(SparkSession spark, String dir) {
        Dataset<Row> df = spark.read().parquet(dir);
        if (!df.filter("road_deletion_area IS NULL").isEmpty()) {
            throw new org.ffspark.config.ConfigException(dir + ": rows without ROAD curves (run saliency with --road)");
        }
        List<org.apache.spark.sql.Column> aggs = new ArrayList<>();
        aggs.add(functions.count(functions.lit(1)).as("n"));
        for (String a : AREAS) {
            aggs.add(functions.avg(a).as(a + "_mean"));
            aggs.add(functions.stddev_samp(a).as(a + "_sd"));
        }
        List<Row> rows = df.groupBy("method").agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new org.apache.spark.sql.Column[0]))
                .orderBy("method").collectAsList();
        Row random = rows.stream().filter(r -> r.getString(0).equals("RANDOM")).findFirst()
                .orElseThrow(() -> new org.ffspark.config.ConfigException(dir + ": no RANDOM maps to compare with"));
        List<Method> methods = new ArrayList<>();
        for (Row r : rows) {
            long n = r.getLong(1);
            Area[] areas = new Area[AREAS.length];
            for (int a = 0; a < AREAS.length; a++) {
                double mean = r.getDouble(2 + 2 * a);
                double sd = r.isNullAt(3 + 2 * a) ? 0 : r.getDouble(3 + 2 * a);
                double half = 1.96 * sd / Math.sqrt(n);
                areas[a] = new Area(mean, sd, mean - half, mean + half);
            }
            methods.add(new Method(r.getString(0), n, areas[0], areas[1], areas[2], areas[3],
                    areas[0].mean() < random.getDouble(2), areas[2].mean() < random.getDouble(6)));
        }
        Dataset<Row> one = df.filter("method = 'RANDOM'");
        long examples = one.select("id").distinct().count();
        double accuracy = one.filter("predicted_label = true_label").select("id").distinct().count() / (double) examples;
        return new Run(dir, examples, accuracy, methods);
    }
}

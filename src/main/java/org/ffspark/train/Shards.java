package org.ffspark.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ffspark.data.InputDataException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.Rng;
import scala.Tuple2;

/**
 * Splits a training set into {@code n} shards, one per partition, each packed into one {@link LabeledImages}
 * (no per-row objects on the training path) and cached. Example {@code id} goes to shard
 * {@code floorMod(mix(seed, 3, id), n)} and a shard keeps its examples in id order, so the split depends only on
 * (ids, n, seed): the same from IDX or Parquet, on any cluster, after any recomputation. With n = 1 the shard is the
 * whole set in file order, as the single-JVM trainer sees it.
 */
public final class Shards {
    private Shards() {}

    public static int shardOf(long id, int n, long seed) {
        return (int) Math.floorMod(Rng.mix(seed, 3, id), (long) n);
    }

    /** Shards built on the executors from a broadcast copy of an in-memory set (ids are row indices). */
    public static JavaRDD<LabeledImages> fromImages(JavaSparkContext jsc, LabeledImages all, int n, long seed) {
        Broadcast<LabeledImages> bc = jsc.broadcast(all);
        List<Integer> idx = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            idx.add(p);
        }
        return cache(jsc.parallelize(idx, n).map(p -> {
            LabeledImages d = bc.value();
            int count = 0;
            for (int i = 0; i < d.count(); i++) {
                count += shardOf(i, n, seed) == p ? 1 : 0;
            }
            byte[] px = new byte[count * LabeledImages.PIXELS];
            byte[] lb = new byte[count];
            int k = 0;
            for (int i = 0; i < d.count(); i++) {
                if (shardOf(i, n, seed) == p) {
                    System.arraycopy(d.pixels(), i * LabeledImages.PIXELS, px, k * LabeledImages.PIXELS, LabeledImages.PIXELS);
                    lb[k++] = d.labels()[i];
                }
            }
            return new LabeledImages(d.name() + "#" + p, px, lb);
        }));
    }

    /**
     * Shards of the training split of a Parquet data set written by the ingest job. A bad row fails the job after
     * one task attempt with its one-line message ({@link Checked}): the shards are decoded once to find bad rows,
     * then again from the same shuffle output into the cache.
     */
    public static JavaRDD<LabeledImages> fromParquet(SparkSession spark, String dir, int n, long seed) {
        return fromRows(requireImages(spark.read().parquet(dir), dir).filter("split = 'train'").select("id", "label", "pixels").javaRDD(),
                n, seed, dir);
    }

    /**
     * Shards of rows (id: long, label: int, pixels: binary), named after {@code dir} in messages: the same split as
     * {@link #fromImages} when the ids are row indices.
     */
    public static JavaRDD<LabeledImages> fromRows(JavaRDD<Row> rows, int n, long seed, String dir) {
        JavaRDD<Checked<LabeledImages>> decoded = rows.mapToPair(r -> new Tuple2<>(shardOf(r.getLong(0), n, seed), r))
                .partitionBy(new org.apache.spark.HashPartitioner(n))
                .mapPartitions(it -> {
                    List<Row> list = new ArrayList<>();
                    int shard = -1;
                    while (it.hasNext()) {
                        Tuple2<Integer, Row> t = it.next();
                        shard = t._1();
                        list.add(t._2());
                    }
                    list.sort(Comparator.comparingLong(r -> r.getLong(0)));
                    String name = dir + "#" + shard;
                    return List.of(Checked.of(list, l -> images(name, l, dir))).iterator();
                }, true);
        Checked.requireNone(decoded);
        return cache(decoded.map(Checked::get));
    }

    /** Rows (id, label, pixels) as one block of images, each row checked ({@link #requireRow}). */
    public static LabeledImages images(String name, List<Row> rows, String dir) {
        byte[] px = new byte[rows.size() * LabeledImages.PIXELS];
        byte[] lb = new byte[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            System.arraycopy(requireRow(r, dir), 0, px, i * LabeledImages.PIXELS, LabeledImages.PIXELS);
            lb[i] = (byte) r.getInt(1);
        }
        return new LabeledImages(name, px, lb);
    }

    /** The columns (name, type) of data-schemas/images.avsc that readers use. */
    private static final List<Tuple2<String, DataType>> COLUMNS = List.of(new Tuple2<>("id", DataTypes.LongType),
            new Tuple2<>("label", DataTypes.IntegerType), new Tuple2<>("pixels", DataTypes.BinaryType), new Tuple2<>("split", DataTypes.StringType));

    /**
     * Checks that a Parquet data set has the columns of {@code data-schemas/images.avsc} with their types; a wrong
     * schema or a missing column is an {@link InputDataException} naming the data set and the column.
     */
    public static Dataset<Row> requireImages(Dataset<Row> df, String dir) {
        StructType schema = df.schema();
        for (Tuple2<String, DataType> c : COLUMNS) {
            if (!java.util.Arrays.asList(schema.fieldNames()).contains(c._1())) {
                throw new InputDataException(dir, "missing column '" + c._1() + "' (expected the ingest schema data-schemas/images.avsc; found "
                        + schema.simpleString() + ")");
            }
            DataType t = schema.apply(c._1()).dataType();
            if (!t.equals(c._2())) {
                throw new InputDataException(dir, "column '" + c._1() + "' is " + t.simpleString() + ", expected " + c._2().simpleString()
                        + " (data-schemas/images.avsc)");
            }
        }
        return df;
    }

    /** The pixels of a row (id, label, pixels), checked: 784 bytes and a label in 0..9. */
    public static byte[] requireRow(Row r, String dir) {
        byte[] px = (byte[]) r.get(2);
        if (px == null || px.length != LabeledImages.PIXELS) {
            throw new InputDataException(dir, "row id " + r.getLong(0) + ": pixels has " + (px == null ? "no" : px.length)
                    + " bytes, expected " + LabeledImages.PIXELS);
        }
        if (r.isNullAt(1) || r.getInt(1) < 0 || r.getInt(1) > 9) {
            throw new InputDataException(dir, "row id " + r.getLong(0) + ": label " + (r.isNullAt(1) ? "null" : r.getInt(1)) + " is not in 0..9");
        }
        return px;
    }

    private static JavaRDD<LabeledImages> cache(JavaRDD<LabeledImages> rdd) {
        JavaRDD<LabeledImages> c = rdd.persist(StorageLevel.MEMORY_ONLY());
        c.count();
        return c;
    }
}

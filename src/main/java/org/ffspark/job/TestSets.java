package org.ffspark.job;

import java.util.List;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;
import org.ffspark.io.ImagesMeta;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.Storage;
import org.ffspark.train.Shards;

/** One split of a data set (IDX directory or ingest Parquet) in the driver, in id order. */
final class TestSets {
    private TestSets() {}

    /** A split with each example's id: its index for IDX, the {@code id} column for an ingest data set. */
    record WithIds(LabeledImages images, long[] ids) {
        WithIds head(int n) {
            return n <= 0 || n >= ids.length ? this : new WithIds(images.head(n), java.util.Arrays.copyOf(ids, n));
        }
    }

    static LabeledImages load(SparkSession spark, Storage storage, String data, Split split) {
        return loadWithIds(spark, storage, data, split).images();
    }

    static WithIds loadWithIds(SparkSession spark, Storage storage, String data, Split split) {
        if (!ImagesMeta.isIngested(storage, data)) {
            LabeledImages images = IdxDataset.read(storage, data, split).images();
            long[] ids = new long[images.count()];
            java.util.Arrays.setAll(ids, i -> i);
            return new WithIds(images, ids);
        }
        List<Row> rows = Shards.requireImages(spark.read().parquet(data), data).filter("split = '" + split.id() + "'")
                .select("id", "label", "pixels").orderBy("id").collectAsList();
        byte[] px = new byte[rows.size() * LabeledImages.PIXELS];
        byte[] lb = new byte[rows.size()];
        long[] ids = new long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(Shards.requireRow(rows.get(i), data), 0, px, i * LabeledImages.PIXELS, LabeledImages.PIXELS);
            lb[i] = (byte) rows.get(i).getInt(1);
            ids[i] = rows.get(i).getLong(0);
        }
        return new WithIds(new LabeledImages(data + "#" + split.id(), px, lb), ids);
    }
}

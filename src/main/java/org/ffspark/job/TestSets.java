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

    static LabeledImages load(SparkSession spark, Storage storage, String data, Split split) {
        if (!ImagesMeta.isIngested(storage, data)) {
            return IdxDataset.read(storage, data, split).images();
        }
        List<Row> rows = Shards.requireImages(spark.read().parquet(data), data).filter("split = '" + split.id() + "'")
                .select("id", "label", "pixels").orderBy("id").collectAsList();
        byte[] px = new byte[rows.size() * LabeledImages.PIXELS];
        byte[] lb = new byte[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(Shards.requireRow(rows.get(i), data), 0, px, i * LabeledImages.PIXELS, LabeledImages.PIXELS);
            lb[i] = (byte) rows.get(i).getInt(1);
        }
        return new LabeledImages(data + "#" + split.id(), px, lb);
    }
}

package org.ffspark.ml;

import java.io.Serializable;
import java.util.Arrays;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.ffspark.config.ConfigException;
import org.ffspark.data.InputDataException;
import org.ffspark.data.LabeledImages;

/**
 * How the library reads images from a DataFrame: a features column that is either a Spark ML {@link Vector} of 784
 * values in [0, 1] (stored as the bytes {@code round(255 v)} the engine trains on, as IDX and ingest data are) or the
 * ingest Parquet's {@code pixels} binary of 784 bytes; a numeric label column with values 0..9; and an id column
 * (long or int) that decides an example's shard and its saliency seed, or, without one, the row's index.
 */
final class ImageColumns implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String features;
    private final String label;
    private final String id;

    ImageColumns(String features, String label, String id) {
        this.features = features;
        this.label = label;
        this.id = id;
    }

    /** Refuses a schema without a usable features column (and label column when {@code needLabel}). */
    void check(StructType schema, boolean needLabel) {
        require(schema, "featuresCol", features);
        DataType t = schema.apply(features).dataType();
        ConfigException.require(t.equals(SQLDataTypes.VectorType()) || t.equals(DataTypes.BinaryType), "featuresCol", features,
                "must be a Vector of 784 values in [0, 1] or binary of 784 bytes, found " + t.simpleString());
        if (needLabel) {
            require(schema, "labelCol", label);
            ConfigException.require(schema.apply(label).dataType() instanceof NumericType, "labelCol", label,
                    "must be numeric, found " + schema.apply(label).dataType().simpleString());
        }
    }

    private static void require(StructType schema, String param, String column) {
        ConfigException.require(Arrays.asList(schema.fieldNames()).contains(column), param, column,
                "no such column (found " + String.join(", ", schema.fieldNames()) + ")");
    }

    boolean hasId(StructType schema) {
        return Arrays.asList(schema.fieldNames()).contains(id);
    }

    /** Rows (id: long, label: int, pixels: binary), as the shards of {@code train} read them. */
    JavaRDD<Row> trainingRows(Dataset<?> df) {
        StructType schema = df.schema();
        check(schema, true);
        int fi = schema.fieldIndex(features);
        int li = schema.fieldIndex(label);
        ImageColumns cols = this;
        if (hasId(schema)) {
            int ii = schema.fieldIndex(id);
            return df.toDF().javaRDD().map(r -> cols.row(((Number) r.get(ii)).longValue(), r, fi, li));
        }
        return df.toDF().javaRDD().zipWithIndex().map(t -> cols.row(t._2(), t._1(), fi, li));
    }

    private Row row(long rowId, Row r, int fi, int li) {
        return RowFactory.create(rowId, labelOf(rowId, r, li), pixels(rowId, r, fi));
    }

    int labelOf(long rowId, Row r, int li) {
        if (r.isNullAt(li)) {
            throw new InputDataException("labelCol '" + label + "'", "row id " + rowId + ": label is null");
        }
        double v = ((Number) r.get(li)).doubleValue();
        if (v != Math.rint(v) || v < 0 || v > 9) {
            throw new InputDataException("labelCol '" + label + "'", "row id " + rowId + ": label " + v + " is not in 0..9");
        }
        return (int) v;
    }

    /** The 784 pixel bytes of row {@code r}'s features. */
    byte[] pixels(long rowId, Row r, int fi) {
        String where = "featuresCol '" + features + "'";
        if (r.isNullAt(fi)) {
            throw new InputDataException(where, "row id " + rowId + ": features is null");
        }
        Object f = r.get(fi);
        if (f instanceof byte[] b) {
            if (b.length != LabeledImages.PIXELS) {
                throw new InputDataException(where, "row id " + rowId + ": pixels has " + b.length + " bytes, expected " + LabeledImages.PIXELS);
            }
            return b;
        }
        Vector v = (Vector) f;
        if (v.size() != LabeledImages.PIXELS) {
            throw new InputDataException(where, "row id " + rowId + ": vector of size " + v.size() + ", expected " + LabeledImages.PIXELS);
        }
        byte[] px = new byte[LabeledImages.PIXELS];
        for (int i = 0; i < px.length; i++) {
            double x = v.apply(i);
            if (!(x >= 0 && x <= 1)) {
                throw new InputDataException(where, "row id " + rowId + ": value " + x + " at index " + i + " is not in [0, 1]");
            }
            px[i] = (byte) Math.round(x * 255);
        }
        return px;
    }

    /** The rows' ids: the id column, or the row index within the partition offset by {@code base}. */
    long idOf(Row r, int ii, long fallback) {
        return ii >= 0 ? ((Number) r.get(ii)).longValue() : fallback;
    }
}

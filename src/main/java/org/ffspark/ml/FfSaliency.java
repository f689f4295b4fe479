package org.ffspark.ml;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ffspark.config.ConfigException;
import org.ffspark.config.FfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.saliency.FfSaliencyRows;
import org.ffspark.saliency.SaliencyMethod;
import org.ffspark.saliency.SaliencyRow;
import org.ffspark.saliency.SaliencyTarget;

/**
 * FF saliency as a Spark ML {@link Transformer}: for each image, the map of the chosen method explaining the chosen
 * target label, computed by the code the {@code saliency} batch job runs ({@link FfSaliencyRows}; an example's
 * random baselines are seeded by (seed, id, target), so the maps equal the job's for the same ids). Adds
 * {@code outputCol} (a Vector of 784 values), {@code <outputCol>Target} and {@code <outputCol>Predicted} (ints) and
 * the faithfulness areas {@code <outputCol>DeletionArea} and {@code <outputCol>InsertionArea}; with target ALL each
 * input row becomes ten rows, one per label.
 */
public final class FfSaliency extends Transformer {
    private static final long serialVersionUID = 1L;
    private static final int CHUNK = 64;
    private final String uid;
    private final Columns cols;
    private FfClassificationModel model;

    public FfSaliency() {
        this(Identifiable$.MODULE$.randomUID("ffSaliency"));
    }

    public FfSaliency(String uid) {
        this.uid = uid;
        this.cols = new Columns(uid);
        cols.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Param<?>[] params() {
        return cols.saliencyParams().toArray(new Param<?>[0]);
    }

    /** The model whose decisions the maps explain. */
    public FfSaliency setModel(FfClassificationModel m) {
        this.model = m;
        return this;
    }

    public FfSaliency setParam(String name, Object value) {
        return Library.set(this, name, value);
    }

    public FfSaliency setMethod(String v) {
        return setParam("method", v);
    }

    public FfSaliency setTarget(String v) {
        return setParam("target", v);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in);
        SaliencyMethod method = SaliencyMethod.valueOf(getOrDefault(cols.method));
        SaliencyTarget target = SaliencyTarget.valueOf(getOrDefault(cols.target));
        long seed = (Long) getOrDefault(cols.seed);
        ImageColumns images = new ImageColumns(getOrDefault(cols.featuresCol), getOrDefault(cols.labelCol), getOrDefault(cols.idCol));
        int fi = in.fieldIndex(getOrDefault(cols.featuresCol));
        int li = java.util.Arrays.asList(in.fieldNames()).contains(getOrDefault(cols.labelCol)) ? in.fieldIndex(getOrDefault(cols.labelCol)) : -1;
        int ii = images.hasId(in) ? in.fieldIndex(getOrDefault(cols.idCol)) : -1;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Broadcast<float[]> params = jsc.broadcast(model.ffModel().params());
        FfConfig config = model.ffModel().config();
        JavaRDD<Row> base = dataset.toDF().javaRDD();
        // Without an id column, the row index over the whole data set (as the batch job numbers an IDX file).
        JavaRDD<Row> rows = ii >= 0 ? base.mapPartitions(it -> maps(it, images, fi, li, ii, null, new FfModel(config, params.value()), method, target, seed))
                : base.zipWithIndex().mapPartitions(it -> {
                    List<Row> rs = new ArrayList<>();
                    List<Long> ids = new ArrayList<>();
                    it.forEachRemaining(t -> {
                        rs.add(t._1());
                        ids.add(t._2());
                    });
                    return maps(rs.iterator(), images, fi, li, -1, ids, new FfModel(config, params.value()), method, target, seed);
                });
        return dataset.sparkSession().createDataFrame(rows, out);
    }

    private static Iterator<Row> maps(Iterator<Row> it, ImageColumns images, int fi, int li, int ii, List<Long> rowIds, FfModel m,
                                      SaliencyMethod method, SaliencyTarget target, long seed) {
        List<Row> out = new ArrayList<>();
        List<Row> chunk = new ArrayList<>();
        int seen = 0;
        while (it.hasNext()) {
            chunk.add(it.next());
            if (chunk.size() == CHUNK || !it.hasNext()) {
                long[] ids = new long[chunk.size()];
                byte[] px = new byte[chunk.size() * LabeledImages.PIXELS];
                byte[] lb = new byte[chunk.size()];
                for (int i = 0; i < chunk.size(); i++) {
                    Row r = chunk.get(i);
                    ids[i] = ii >= 0 ? ((Number) r.get(ii)).longValue() : rowIds.get(seen + i);
                    System.arraycopy(images.pixels(ids[i], r, fi), 0, px, i * LabeledImages.PIXELS, LabeledImages.PIXELS);
                    lb[i] = (byte) (li >= 0 ? images.labelOf(ids[i], r, li) : 0);
                }
                List<SaliencyRow> maps = FfSaliencyRows.of(m, new LabeledImages("rows", px, lb), 0, chunk.size(), ids,
                        List.of(method), target, seed);
                int k = 0;
                for (int i = 0; i < chunk.size(); i++) {
                    for (int t = 0; t < target.labels(0, 0).length; t++) {
                        out.add(withMap(chunk.get(i), maps.get(k++)));
                    }
                }
                seen += chunk.size();
                chunk.clear();
            }
        }
        return out.iterator();
    }

    private static Row withMap(Row r, SaliencyRow s) {
        Object[] v = new Object[r.length() + 5];
        for (int k = 0; k < r.length(); k++) {
            v[k] = r.get(k);
        }
        double[] map = new double[s.map().length];
        for (int i = 0; i < map.length; i++) {
            map[i] = s.map()[i];
        }
        v[r.length()] = Vectors.dense(map);
        v[r.length() + 1] = s.targetLabel();
        v[r.length() + 2] = s.predictedLabel();
        v[r.length() + 3] = s.deletionArea();
        v[r.length() + 4] = s.insertionArea();
        return RowFactory.create(v);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        ConfigException.require(model != null, "model", "none", "set the FfClassificationModel to explain (setModel)");
        SaliencyMethod method = SaliencyMethod.valueOf(getOrDefault(cols.method));
        ConfigException.require(method.forFf(), "method", method, "is not a method for FF models");
        boolean truth = SaliencyTarget.valueOf(getOrDefault(cols.target)) != SaliencyTarget.PREDICTED;
        new ImageColumns(getOrDefault(cols.featuresCol), getOrDefault(cols.labelCol), getOrDefault(cols.idCol)).check(schema, truth);
        String o = getOrDefault(cols.outputCol);
        for (String c : List.of(o, o + "Target", o + "Predicted", o + "DeletionArea", o + "InsertionArea")) {
            ConfigException.require(!java.util.Arrays.asList(schema.fieldNames()).contains(c), "outputCol", c, "already exists in the input");
        }
        return schema.add(o, SQLDataTypes.VectorType(), false).add(o + "Target", DataTypes.IntegerType, false)
                .add(o + "Predicted", DataTypes.IntegerType, false).add(o + "DeletionArea", DataTypes.DoubleType, false)
                .add(o + "InsertionArea", DataTypes.DoubleType, false);
    }

    @Override
    public FfSaliency copy(ParamMap extra) {
        FfSaliency s = new FfSaliency(uid).setModel(model);
        copyValues(s, extra);
        return s;
    }
}

package org.ffspark.ml;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ffspark.config.FfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfScorer;
import org.ffspark.ff.Gemm;
import org.ffspark.io.ModelManifest;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;

/**
 * A trained FF network as a Spark ML {@link Model}: {@code transform} adds {@code rawPrediction} (the ten label
 * scores under the model's prediction rule: FF goodness, or the softmax readout's logits), {@code probability}
 * (their softmax) and {@code prediction} (the label of the highest score, as {@code evaluate} counts it). Saved in
 * the project's own model format (manifest.json and params.bin, read by {@code ffspark evaluate}) plus Spark's
 * {@code metadata/} for the params, so Pipelines save and load it; {@link #load} reads any ffspark model directory.
 */
public final class FfClassificationModel extends Model<FfClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** Images scored at once on an executor. */
    private static final int CHUNK = 256;
    private final String uid;
    private final FfParams keys;
    private final Columns cols;
    private final FfModel model;
    private final ModelStore.Provenance provenance;

    FfClassificationModel(String uid, FfModel model, ModelStore.Provenance provenance) {
        this.uid = uid;
        this.keys = new FfParams(this);
        this.cols = new Columns(uid);
        this.model = model;
        this.provenance = provenance;
        keys.setDefaults(this);
        cols.setDefaults(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public Param<?>[] params() {
        return keys.with(cols.classifierParams());
    }

    /** The network: architecture and parameters. */
    public FfModel ffModel() {
        return model;
    }

    public FfClassificationModel setParam(String name, Object value) {
        return Library.set(this, name, value);
    }

    public FfClassificationModel setFeaturesCol(String v) {
        return (FfClassificationModel) set(cols.featuresCol, v);
    }

    public FfClassificationModel setPredictionCol(String v) {
        return (FfClassificationModel) set(cols.predictionCol, v);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType in = dataset.schema();
        StructType out = transformSchema(in);
        ImageColumns images = new ImageColumns(getOrDefault(cols.featuresCol), getOrDefault(cols.labelCol), getOrDefault(cols.idCol));
        int fi = in.fieldIndex(getOrDefault(cols.featuresCol));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Broadcast<float[]> params = jsc.broadcast(model.params());
        FfConfig config = model.config();
        JavaRDD<Row> rows = dataset.toDF().javaRDD().mapPartitions(it -> score(it, images, fi, new FfModel(config, params.value())));
        return dataset.sparkSession().createDataFrame(rows, out);
    }

    /** The rows of one partition with their scores, probabilities and predictions appended. */
    private static Iterator<Row> score(Iterator<Row> it, ImageColumns images, int fi, FfModel m) {
        Gemm.init(1);
        List<Row> out = new ArrayList<>();
        float[] px = new float[CHUNK * LabeledImages.PIXELS];
        float[] scores = new float[CHUNK * FfScorer.LABELS];
        List<Row> chunk = new ArrayList<>(CHUNK);
        long index = 0;
        try (FfScorer scorer = new FfScorer(m, 100)) {
            while (it.hasNext() || !chunk.isEmpty()) {
                if (it.hasNext() && chunk.size() < CHUNK) {
                    Row r = it.next();
                    byte[] b = images.pixels(index++, r, fi);
                    new LabeledImages("row", b, new byte[1]).copyPixels(0, px, chunk.size() * LabeledImages.PIXELS);
                    chunk.add(r);
                    continue;
                }
                scorer.score(px, 0, chunk.size(), scores);
                for (int i = 0; i < chunk.size(); i++) {
                    out.add(withScores(chunk.get(i), scores, i));
                }
                chunk.clear();
            }
        }
        return out.iterator();
    }

    private static Row withScores(Row r, float[] scores, int i) {
        double[] raw = new double[FfScorer.LABELS];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < raw.length; c++) {
            raw[c] = scores[i * FfScorer.LABELS + c];
            max = Math.max(max, raw[c]);
        }
        double[] prob = new double[raw.length];
        double sum = 0;
        for (int c = 0; c < raw.length; c++) {
            prob[c] = Math.exp(raw[c] - max);
            sum += prob[c];
        }
        for (int c = 0; c < raw.length; c++) {
            prob[c] /= sum;
        }
        Object[] values = new Object[r.length() + 3];
        for (int k = 0; k < r.length(); k++) {
            values[k] = r.get(k);
        }
        values[r.length()] = Vectors.dense(raw);
        values[r.length() + 1] = Vectors.dense(prob);
        values[r.length() + 2] = (double) FfScorer.argmax(scores, i);
        return RowFactory.create(values);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        new ImageColumns(getOrDefault(cols.featuresCol), getOrDefault(cols.labelCol), getOrDefault(cols.idCol)).check(schema, false);
        return outputSchema(schema, getOrDefault(cols.rawPredictionCol), getOrDefault(cols.probabilityCol), getOrDefault(cols.predictionCol));
    }

    static StructType outputSchema(StructType schema, String raw, String probability, String prediction) {
        for (String c : List.of(raw, probability, prediction)) {
            org.ffspark.config.ConfigException.require(!java.util.Arrays.asList(schema.fieldNames()).contains(c), "output column", c,
                    "already exists in the input");
        }
        return schema.add(raw, SQLDataTypes.VectorType(), false).add(probability, SQLDataTypes.VectorType(), false)
                .add(prediction, DataTypes.DoubleType, false);
    }

    @Override
    public FfClassificationModel copy(ParamMap extra) {
        FfClassificationModel m = new FfClassificationModel(uid, model, provenance);
        copyValues(m, extra);
        return (FfClassificationModel) m.setParent(parent());
    }

    @Override
    public MLWriter write() {
        FfClassificationModel self = this;
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                SparkContext sc = sparkSession().sparkContext();
                ModelStore.write(new Storage(sc.hadoopConfiguration()), model, provenance, path, false);
                DefaultParamsWriter$.MODULE$.saveMetadata(self, path, sc,
                        scala.Option.empty(), scala.Option.empty());
            }
        };
    }

    @Override
    public void save(String path) throws java.io.IOException {
        write().save(path);
    }

    public static MLReader<FfClassificationModel> read() {
        return new MLReader<>() {
            @Override
            public FfClassificationModel load(String path) {
                SparkContext sc = sparkSession().sparkContext();
                Storage storage = new Storage(sc.hadoopConfiguration());
                ModelStore.Loaded loaded = ModelStore.read(storage, path);
                ModelManifest mf = loaded.manifest();
                ModelStore.Provenance prov = new ModelStore.Provenance(mf.hyperParameters(), mf.provenance().dataChecksums(),
                        mf.provenance().seed(), mf.provenance().gitCommit(), mf.provenance().runId(), mf.provenance().createdAt());
                if (storage.exists(new Path(path, "metadata"))) {
                    DefaultParamsReader.Metadata meta = org.apache.spark.ml.util.DefaultParamsReader$.MODULE$.loadMetadata(path, sc, "");
                    FfClassificationModel m = new FfClassificationModel(meta.uid(), loaded.model(), prov);
                    meta.getAndSetParams(m, scala.Option.empty());
                    return m;
                }
                FfClassificationModel m = new FfClassificationModel(Identifiable$.MODULE$.randomUID("ffClassifier"), loaded.model(), prov);
                m.keys.setFrom(m, mf.hyperParameters());
                return m;
            }
        };
    }

    public static FfClassificationModel load(String path) {
        return read().load(path);
    }
}

package org.ffspark.ml;

import java.util.Map;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.io.ModelStore;
import org.ffspark.job.RunIds;
import org.ffspark.train.Shards;
import org.ffspark.io.Storage;
import org.ffspark.job.TrainRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forward-Forward training as a Spark ML {@link Estimator}: {@code fit} shards the DataFrame's images by id exactly
 * as {@code ffspark train} shards a data set and runs the same distributed trainer (parameter averaging, same
 * determinism), so the same settings, partitioning and ids give the same parameters bit for bit. Every
 * configuration key is a param (see {@link FfParams} for the names); {@link #set(String, Object)} sets one by name.
 */
public final class FfClassifier extends Estimator<FfClassificationModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FfClassifier.class);
    private final String uid;
    private final FfParams keys;
    private final Columns cols;

    public FfClassifier() {
        this(Identifiable$.MODULE$.randomUID("ffClassifier"));
    }

    public FfClassifier(String uid) {
        this.uid = uid;
        this.keys = new FfParams(this);
        this.cols = new Columns(uid);
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

    /** Sets the param {@code name} (e.g. "learningRate" or "layers") to {@code value}, converted to its type. */
    public FfClassifier setParam(String name, Object value) {
        return Library.set(this, name, value);
    }

    public FfClassifier setFeaturesCol(String v) {
        return (FfClassifier) set(cols.featuresCol, v);
    }

    public FfClassifier setLabelCol(String v) {
        return (FfClassifier) set(cols.labelCol, v);
    }

    public FfClassifier setIdCol(String v) {
        return (FfClassifier) set(cols.idCol, v);
    }

    public FfClassifier setPredictionCol(String v) {
        return (FfClassifier) set(cols.predictionCol, v);
    }

    /** Checkpoints and metrics in {@code dir} (as {@code train --run-dir}); a later fit with the same settings resumes there. */
    public FfClassifier setCheckpointDir(String dir) {
        return (FfClassifier) set(cols.checkpointDir, dir);
    }

    public FfClassifier setNumPartitions(int v) {
        return (FfClassifier) set(cols.numPartitions, v);
    }

    /** The configuration the params stand for, as {@code ffspark train --set ...} would load it. */
    public TrainFfConfig config() {
        return keys.config(this);
    }

    @Override
    public FfClassificationModel fit(Dataset<?> dataset) {
        TrainFfConfig cfg = config();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        int n = (Integer) getOrDefault(cols.numPartitions) > 0 ? (Integer) getOrDefault(cols.numPartitions) : jsc.defaultParallelism();
        long seed = cfg.train().seed();
        ImageColumns images = new ImageColumns(getOrDefault(cols.featuresCol), getOrDefault(cols.labelCol), getOrDefault(cols.idCol));
        JavaRDD<LabeledImages> shards = Shards.fromRows(images.trainingRows(dataset), n, seed, "featuresCol '" + getOrDefault(cols.featuresCol) + "'");
        try {
            String dir = getOrDefault(cols.checkpointDir);
            Storage storage = new Storage(jsc.hadoopConfiguration());
            // A DataFrame has no file checksums; its example count stands in, so a resume on other data is refused.
            Map<String, String> data = Map.of("examples", Long.toString(shards.map(LabeledImages::count).reduce(Integer::sum)));
            TrainRun.Result r = TrainRun.run(dataset.sparkSession(), storage, cfg, shards, data, FfModel.initialise(cfg.ff(), seed),
                    new TrainRun.Where(dir.isEmpty() ? null : dir, true, false), null, RunIds.next(), (rep, s) -> {
                        if (rep.position().indexInEpoch() == 0 || rep.position().round() == rep.rounds() - 1) {
                            LOG.info("ffspark fit {}: round {}/{} epoch {} loss {}", uid, rep.position().round() + 1, rep.rounds(),
                                    rep.position().epoch() + 1, rep.stats().totalMeanLoss());
                        }
                    }, w -> LOG.warn("ffspark fit {}: {}", uid, w));
            FfModel model = new FfModel(cfg.ff(), r.state().params());
            ModelStore.Provenance prov = r.provenance();
            FfClassificationModel m = new FfClassificationModel(uid, model, prov);
            copyValues(m, ParamMap.empty());
            return (FfClassificationModel) m.setParent(this);
        } finally {
            shards.unpersist(false);
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        new ImageColumns(getOrDefault(cols.featuresCol), getOrDefault(cols.labelCol), getOrDefault(cols.idCol)).check(schema, true);
        config();
        return FfClassificationModel.outputSchema(schema, getOrDefault(cols.rawPredictionCol), getOrDefault(cols.probabilityCol),
                getOrDefault(cols.predictionCol));
    }

    @Override
    public FfClassifier copy(ParamMap extra) {
        return (FfClassifier) defaultCopy(extra);
    }

    public static MLReader<FfClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static FfClassifier load(String path) {
        return read().load(path);
    }
}

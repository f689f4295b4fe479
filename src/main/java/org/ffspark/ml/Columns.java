package org.ffspark.ml;

import java.io.Serializable;
import java.util.List;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.ffspark.config.ConfigException;
import org.ffspark.saliency.SaliencyMethod;
import org.ffspark.saliency.SaliencyTarget;
import scala.runtime.AbstractFunction1;

/**
 * The library's params that are not configuration keys: the column names under Spark ML's usual names and
 * defaults, the partition count, and the saliency method, target and seed (the {@code saliency} command's options).
 */
final class Columns implements Serializable {
    private static final long serialVersionUID = 1L;
    final Param<String> featuresCol;
    final Param<String> labelCol;
    final Param<String> idCol;
    final Param<String> predictionCol;
    final Param<String> rawPredictionCol;
    final Param<String> probabilityCol;
    final IntParam numPartitions;
    final Param<String> method;
    final Param<String> target;
    final LongParam seed;
    final Param<String> outputCol;
    final Param<String> checkpointDir;

    @SuppressWarnings({"unchecked", "rawtypes"})
    Columns(String parent) {
        featuresCol = new Param<String>(parent, "featuresCol", "features column: a Vector of 784 values in [0, 1] or binary of 784 bytes", (scala.Function1) nonEmpty("featuresCol"));
        labelCol = new Param<String>(parent, "labelCol", "label column: numeric, 0..9", (scala.Function1) nonEmpty("labelCol"));
        idCol = new Param<String>(parent, "idCol", "example id column (long or int): decides an example's shard and saliency seed; without it, the row index", (scala.Function1) nonEmpty("idCol"));
        predictionCol = new Param<String>(parent, "predictionCol", "prediction column name", (scala.Function1) nonEmpty("predictionCol"));
        rawPredictionCol = new Param<String>(parent, "rawPredictionCol", "the ten label scores under the model's prediction rule (FF goodness or readout logits)", (scala.Function1) nonEmpty("rawPredictionCol"));
        probabilityCol = new Param<String>(parent, "probabilityCol", "softmax of the raw prediction", (scala.Function1) nonEmpty("probabilityCol"));
        numPartitions = new IntParam(parent, "numPartitions", "training partitions (shards, averaged as the dist.* params say); 0 = the cluster's default parallelism",
                (scala.Function1) new Check("numPartitions", v -> ((Integer) v) >= 0, "must be >= 0"));
        method = new Param<String>(parent, "method", "saliency method, one of " + java.util.Arrays.toString(SaliencyMethod.values()),
                (scala.Function1) new Check("method", v -> parses(SaliencyMethod.class, v), "must be one of " + java.util.Arrays.toString(SaliencyMethod.values())));
        target = new Param<String>(parent, "target", "which label a saliency map explains: PREDICTED, TRUE (needs labelCol) or ALL (ten rows per example)",
                (scala.Function1) new Check("target", v -> parses(SaliencyTarget.class, v), "must be one of " + java.util.Arrays.toString(SaliencyTarget.values())));
        seed = new LongParam(parent, "seed", "seed of the random map and of tie-breaking (the saliency command's --seed)", (scala.Function1) new Check("seed", v -> true, ""));
        checkpointDir = new Param<String>(parent, "checkpointDir", "run directory (any Hadoop FS URI) for checkpoints and metrics.jsonl, "
                + "as train's --run-dir: fit continues from its newest valid checkpoint when the settings match; one per data set; "
                + "empty = no checkpoints", (scala.Function1) new Check("checkpointDir", v -> v != null, "must be a path or empty"));
        outputCol = new Param<String>(parent, "outputCol", "saliency map column: a Vector of 784 values", (scala.Function1) nonEmpty("outputCol"));
    }

    List<Param<?>> classifierParams() {
        return List.of(featuresCol, labelCol, idCol, predictionCol, rawPredictionCol, probabilityCol, numPartitions, checkpointDir);
    }

    List<Param<?>> saliencyParams() {
        return List.of(featuresCol, labelCol, idCol, method, target, seed, outputCol);
    }

    /** Sets the defaults of the params {@code owner} has ({@link #classifierParams} or {@link #saliencyParams}). */
    void setDefaults(Params owner) {
        java.util.Map<Param<?>, Object> defaults = new java.util.LinkedHashMap<>();
        defaults.put(featuresCol, "features");
        defaults.put(labelCol, "label");
        defaults.put(idCol, "id");
        defaults.put(predictionCol, "prediction");
        defaults.put(rawPredictionCol, "rawPrediction");
        defaults.put(probabilityCol, "probability");
        defaults.put(numPartitions, 0);
        defaults.put(method, SaliencyMethod.FF_OCCLUSION.name());
        defaults.put(target, SaliencyTarget.PREDICTED.name());
        defaults.put(seed, 42L);
        defaults.put(outputCol, "saliency");
        defaults.put(checkpointDir, "");
        defaults.forEach((p, v) -> {
            if (owner.hasParam(p.name())) {
                setDefault(owner, p, v);
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> void setDefault(Params owner, Param<T> p, Object v) {
        owner.setDefault(p, (T) v);
    }

    private static <E extends Enum<E>> boolean parses(Class<E> type, Object v) {
        try {
            Enum.valueOf(type, String.valueOf(v));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Check nonEmpty(String name) {
        return new Check(name, v -> v != null && !String.valueOf(v).isBlank(), "must be a column name");
    }

    /** A rule whose violation is the CLI's one-line error ({@code "<name> = <value>: <rule>"}). */
    static final class Check extends AbstractFunction1<Object, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final SerializablePredicate test;
        private final String rule;

        interface SerializablePredicate extends java.util.function.Predicate<Object>, Serializable {}

        Check(String name, SerializablePredicate test, String rule) {
            this.name = name;
            this.test = test;
            this.rule = rule;
        }

        @Override
        public Object apply(Object v) {
            ConfigException.require(test.test(v), name, v, rule);
            return Boolean.TRUE;
        }
    }
}

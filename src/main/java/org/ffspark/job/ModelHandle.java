package org.ffspark.job;

import java.util.Arrays;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.baseline.MlpBaseline;
import org.ffspark.baseline.MlpStore;
import org.ffspark.data.LabeledImages;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;
import org.ffspark.report.Evaluation;
import org.ffspark.saliency.SaliencyMethod;

/**
 * An FF model or an MLP baseline model as the jobs that serve both see it (evaluate, saliency): one interface, so no
 * job branches on the kind of model.
 */
interface ModelHandle {
    /** Reads the model directory {@code dir}, whichever kind its manifest says it is. */
    static ModelHandle load(Storage storage, String dir) {
        return MlpStore.isMlp(storage, dir) ? new Mlp(MlpStore.read(storage, dir)) : new Ff(ModelStore.read(storage, dir));
    }

    /** "an FF" or "an MLP baseline", for messages. */
    String kind();

    /** The SHA-256 of the parameter file: the version saliency rows record. */
    String version();

    /** How the model predicts a label, in words (recorded with evaluations and shown in reports). */
    String predictionRule();

    /** Whether {@code m} applies to this kind of model. */
    boolean supports(SaliencyMethod m);

    /** Every saliency method that applies (RANDOM included). */
    default List<SaliencyMethod> saliencyMethods() {
        return Arrays.stream(SaliencyMethod.values()).filter(this::supports).toList();
    }

    /** The confusion matrix on {@code set}, in this JVM. */
    Evaluation evaluate(LabeledImages set);

    /** Broadcasts the model once; the returned object runs on the executors. */
    ModelRemote broadcast(JavaSparkContext jsc);

    /** The MLP baseline's prediction rule. */
    String MLP_RULE = "softmax output of the backprop MLP";

    /** An FF model. */
    record Ff(ModelStore.Loaded loaded) implements ModelHandle {
        @Override
        public String kind() {
            return "an FF";
        }

        @Override
        public String version() {
            return loaded.manifest().parameters().sha256();
        }

        @Override
        public String predictionRule() {
            return loaded.model().config().readout().predictionRule();
        }

        @Override
        public boolean supports(SaliencyMethod m) {
            return m.forFf();
        }

        @Override
        public Evaluation evaluate(LabeledImages set) {
            return Evaluation.ofFf(loaded.model(), set);
        }

        @Override
        public ModelRemote broadcast(JavaSparkContext jsc) {
            return new ModelRemote.Ff(loaded.model().config(), jsc.broadcast(loaded.model().params()));
        }
    }

    /** An MLP baseline model. */
    record Mlp(MlpStore.Loaded loaded) implements ModelHandle {
        @Override
        public String kind() {
            return "an MLP baseline";
        }

        @Override
        public String version() {
            return loaded.manifest().dl4j().sha256();
        }

        @Override
        public String predictionRule() {
            return MLP_RULE;
        }

        @Override
        public boolean supports(SaliencyMethod m) {
            return m.forMlp();
        }

        @Override
        public Evaluation evaluate(LabeledImages set) {
            return MlpBaseline.evaluate(loaded.net(), set);
        }

        @Override
        public ModelRemote broadcast(JavaSparkContext jsc) {
            return new ModelRemote.Mlp(jsc.broadcast(loaded.zip()));
        }
    }
}

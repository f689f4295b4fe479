package org.ffspark.job;

import java.io.Serializable;
import java.util.List;

import org.apache.spark.broadcast.Broadcast;
import org.ffspark.baseline.MlpBaseline;
import org.ffspark.baseline.MlpSaliency;
import org.ffspark.baseline.MlpStore;
import org.ffspark.config.FfConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.report.Evaluation;
import org.ffspark.saliency.FfSaliencyRows;
import org.ffspark.saliency.SaliencySpec;
import org.ffspark.saliency.SaliencyRow;

/** A broadcast model ({@link ModelHandle#broadcast}) as the executors use it: evaluation and saliency rows. */
interface ModelRemote extends Serializable {
    Evaluation evaluate(LabeledImages part);

    /** Saliency rows; {@code mlpExplains}: what an MLP's maps explain (FF maps follow the model's prediction rule). */
    List<SaliencyRow> saliency(LabeledImages set, int from, int to, long[] ids, SaliencySpec spec, MlpSaliency.Explained mlpExplains);

    /** Releases the broadcast (on the driver, when the job is done). */
    void destroy();

    /** FF parameters on the executors, with the architecture they belong to. */
    record Ff(FfConfig config, Broadcast<float[]> params) implements ModelRemote {
        @Override
        public Evaluation evaluate(LabeledImages part) {
            return Evaluation.ofFf(new FfModel(config, params.value()), part, 1);
        }

        @Override
        public List<SaliencyRow> saliency(LabeledImages set, int from, int to, long[] ids, SaliencySpec spec,
                                          MlpSaliency.Explained mlpExplains) {
            return FfSaliencyRows.of(new FfModel(config, params.value()), set, from, to, ids, spec);
        }

        @Override
        public void destroy() {
            params.destroy(false);
        }
    }

    /** The MLP's DL4J model file on the executors, loaded once per task. */
    record Mlp(Broadcast<byte[]> zip) implements ModelRemote {
        @Override
        public Evaluation evaluate(LabeledImages part) {
            return MlpBaseline.evaluate(MlpStore.fromBytes(zip.value(), "broadcast model"), part);
        }

        @Override
        public List<SaliencyRow> saliency(LabeledImages set, int from, int to, long[] ids, SaliencySpec spec,
                                          MlpSaliency.Explained mlpExplains) {
            return MlpSaliency.rows(MlpStore.fromBytes(zip.value(), "broadcast model"), set, from, to, ids, spec, mlpExplains);
        }

        @Override
        public void destroy() {
            zip.destroy(false);
        }
    }
}

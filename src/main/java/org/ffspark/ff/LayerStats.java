package org.ffspark.ff;

import java.io.Serializable;
import org.ffspark.config.ConfigKeys;
import org.ffspark.config.ConfigException;

/**
 * Running sums of the layer-local loss and of positive and negative goodness, per layer, over the examples
 * seen. Mutable accumulator: one per worker, merged in a fixed order.
 */
public final class LayerStats implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] loss;
    private final double[] goodPos;
    private final double[] goodNeg;
    private final long[] examples;

    public LayerStats(int layers) {
        loss = new double[layers];
        goodPos = new double[layers];
        goodNeg = new double[layers];
        examples = new long[layers];
    }

    void add(int layer, double lossSum, double gPosSum, double gNegSum, int count) {
        loss[layer] += lossSum;
        goodPos[layer] += gPosSum;
        goodNeg[layer] += gNegSum;
        examples[layer] += count;
    }

    void clear() {
        java.util.Arrays.fill(loss, 0);
        java.util.Arrays.fill(goodPos, 0);
        java.util.Arrays.fill(goodNeg, 0);
        java.util.Arrays.fill(examples, 0);
    }

    public LayerStats mergeInPlace(LayerStats o) {
        for (int l = 0; l < loss.length; l++) {
            loss[l] += o.loss[l];
            goodPos[l] += o.goodPos[l];
            goodNeg[l] += o.goodNeg[l];
            examples[l] += o.examples[l];
        }
        return this;
    }

    public int layers() {
        return loss.length;
    }

    public long examples(int layer) {
        return examples[layer];
    }

    /** Mean loss per example of {@code layer} (NaN before any example). */
    public double meanLoss(int layer) {
        return loss[layer] / examples[layer];
    }

    public double meanGoodnessPositive(int layer) {
        return goodPos[layer] / examples[layer];
    }

    public double meanGoodnessNegative(int layer) {
        return goodNeg[layer] / examples[layer];
    }

    /** The one error of a diverged run: {@code what} says where it was seen. */
    public static ConfigException diverged(String what) {
        String key = ConfigKeys.LEARNING_RATE.name();
        return new ConfigException(key + ": training diverged " + what + "; lower " + key + "; nothing was written");
    }

    /**
     * Throws {@link org.ffspark.config.ConfigException} naming {@code where} when any layer's loss or goodness is
     * NaN or infinite: training diverged, almost always from too large a learning rate.
     */
    public void requireFinite(String where) {
        for (int l = 0; l < loss.length; l++) {
            if (examples[l] > 0 && !(Double.isFinite(loss[l]) && Double.isFinite(goodPos[l]) && Double.isFinite(goodNeg[l]))) {
                throw diverged("at " + where + " (layer " + (l + 1) + " loss " + meanLoss(l) + ")");
            }
        }
    }

    /** Mean loss summed over the layers that saw examples. */
    public double totalMeanLoss() {
        double s = 0;
        for (int l = 0; l < loss.length; l++) {
            if (examples[l] > 0) {
                s += meanLoss(l);
            }
        }
        return s;
    }
}

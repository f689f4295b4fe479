package org.ffspark.baseline;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ffspark.saliency.SaliencyMethod;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradient saliency of the MLP baseline, through DL4J's own backprop to the input: with one-hot targets the
 * cross-entropy loss of an example is {@code -log p_c(x)}, so minus its input gradient is {@code d log p_c / dx},
 * the gradient of the target's log-probability (per example: the input gradient is not scaled by the batch size;
 * the test pins this against finite differences).
 * Inputs are pixels scaled to [0, 1]. Integrated gradients: the all-zero baseline, the midpoint rule over
 * {@link #IG_STEPS} points of the straight path, times the input.
 */
public final class MlpSaliency {
    public static final int IG_STEPS = 32;

    private MlpSaliency() {}

    /** {@code d log p_target / dx} for each row of {@code x} [n, 784]; returns [n, 784] as a flat array. */
    public static float[] gradients(MultiLayerNetwork net, INDArray x, int[] targets) {
        int n = (int) x.rows();
        INDArray y = Nd4j.zeros(x.dataType(), n, 10);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, targets[i], 1.0);
        }
        Pair<Gradient, INDArray> g = net.calculateGradients(x, y, null, null);
        float[] out = g.getSecond().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < out.length; i++) {
            out[i] = -out[i];
        }
        return out;
    }

    /** Maps for the rows of {@code x} (scaled pixels, [n, 784]) and their targets, by method: [n, 784] flat. */
    public static float[] maps(MultiLayerNetwork net, INDArray x, int[] targets, SaliencyMethod method) {
        float[] px = x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        switch (method) {
            case MLP_GRADIENT:
                return gradients(net, x, targets);
            case MLP_GRADIENT_X_INPUT: {
                float[] g = gradients(net, x, targets);
                for (int i = 0; i < g.length; i++) {
                    g[i] *= px[i];
                }
                return g;
            }
            case MLP_INTEGRATED_GRADIENTS: {
                float[] sum = new float[px.length];
                for (int k = 0; k < IG_STEPS; k++) {
                    double alpha = (k + 0.5) / IG_STEPS;
                    float[] g = gradients(net, x.mul(alpha), targets);
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += g[i];
                    }
                }
                for (int i = 0; i < sum.length; i++) {
                    sum[i] = sum[i] / IG_STEPS * px[i];
                }
                return sum;
            }
            default:
                throw new IllegalArgumentException(method + " is not an MLP method");
        }
    }

    /** Log-probabilities of the ten labels for {@code count} images (scaled pixels at {@code images[from*784..]}). */
    public static void logProbabilities(MultiLayerNetwork net, float[] images, int from, int count, float[] out) {
        float[] x = java.util.Arrays.copyOfRange(images, from * 784, (from + count) * 784);
        float[] p = net.output(Nd4j.create(x, new long[] {count, 784}, 'c')).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .dup('c').data().asFloat();
        for (int i = 0; i < count * 10; i++) {
            out[i] = (float) Math.log(Math.max(p[i], 1e-30f));
        }
    }
}

package org.ffspark.baseline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfScorer;
import org.ffspark.ff.Rng;
import org.ffspark.saliency.Faithfulness;
import org.ffspark.saliency.FfSaliencyRows;
import org.ffspark.saliency.SaliencySpec;
import org.ffspark.saliency.SaliencyMaps;
import org.ffspark.saliency.SaliencyRow;
import org.ffspark.saliency.SaliencyTarget;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ffspark.saliency.SaliencyMethod;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradient saliency of the MLP baseline, through DL4J's own backprop to the input. By default the maps explain the
 * target's logit z_c (the pre-softmax output; PAPER.md section 5), or, as an option, its log-probability
 * {@code log p_c = z_c - logsumexp(z)}. DL4J's softmax cross-entropy sends {@code p - y} back from the output for
 * labels y: with y the one-hot target that is minus the gradient of {@code log p_c}; with {@code y = p + onehot(c)}
 * it is {@code -e_c}, minus the gradient of {@code z_c}. (Per example: the input gradient is not scaled by the batch
 * size; the tests pin both against finite differences.) Inputs are pixels scaled to [0, 1]. Integrated gradients:
 * the all-zero baseline, the midpoint rule over {@link #IG_STEPS} points of the straight path, times the input, so
 * they add up to the change of the explained quantity from the baseline.
 */
public final class MlpSaliency {
    public static final int IG_STEPS = 32;

    /** What an MLP map explains. */
    public enum Explained { LOGIT, LOG_PROBABILITY }

    private MlpSaliency() {}

    /** {@code d z_target / dx} (LOGIT) or {@code d log p_target / dx} for each row of {@code x} [n, 784]; [n, 784] flat. */
    public static float[] gradients(MultiLayerNetwork net, INDArray x, int[] targets, Explained explained) {
        int n = (int) x.rows();
        INDArray y = explained == Explained.LOGIT ? net.output(x).dup() : Nd4j.zeros(x.dataType(), n, 10);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, targets[i], y.getDouble(i, targets[i]) + 1.0);
        }
        Pair<Gradient, INDArray> g = net.calculateGradients(x, y, null, null);
        float[] out = g.getSecond().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < out.length; i++) {
            out[i] = -out[i];
        }
        return out;
    }

    /** As {@link #maps(MultiLayerNetwork, INDArray, int[], SaliencyMethod, Explained)} of the logit. */
    public static float[] maps(MultiLayerNetwork net, INDArray x, int[] targets, SaliencyMethod method) {
        return maps(net, x, targets, method, Explained.LOGIT);
    }

    /** Maps for the rows of {@code x} (scaled pixels, [n, 784]) and their targets, by method: [n, 784] flat. */
    public static float[] maps(MultiLayerNetwork net, INDArray x, int[] targets, SaliencyMethod method, Explained explained) {
        float[] px = x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        switch (method) {
            case MLP_GRADIENT:
                return gradients(net, x, targets, explained);
            case MLP_GRADIENT_X_INPUT: {
                float[] g = gradients(net, x, targets, explained);
                for (int i = 0; i < g.length; i++) {
                    g[i] *= px[i];
                }
                return g;
            }
            case MLP_INTEGRATED_GRADIENTS: {
                float[] sum = new float[px.length];
                for (int k = 0; k < IG_STEPS; k++) {
                    double alpha = (k + 0.5) / IG_STEPS;
                    float[] g = gradients(net, x.mul(alpha), targets, explained);
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

    /**
     * The saliency rows of an MLP baseline for examples {@code [from, to)} of {@code set}: same rows, curves and
     * seeds as for FF, the faithfulness curves scored by the MLP's own probabilities.
     */
    public static List<SaliencyRow> rows(MultiLayerNetwork net, LabeledImages set, int from, int to, List<SaliencyMethod> methods,
                                         SaliencyTarget target, long seed, Explained explained) {
        return rows(net, set, from, to, null, new SaliencySpec(methods, target, seed), explained);
    }

    /** As above for {@code spec}; example {@code from + i} has id {@code ids[i]} (null: its row index). */
    public static List<SaliencyRow> rows(MultiLayerNetwork net, LabeledImages set, int from, int to, long[] ids, SaliencySpec spec,
                                         Explained explained) {
        List<SaliencyMethod> methods = spec.methods();
        SaliencyTarget target = spec.target();
        long seed = spec.seed();
        int n = to - from;
        float[] images = new float[n * 784];
        for (int i = 0; i < n; i++) {
            set.copyPixels(from + i, images, i * 784);
        }
        float[] scores = new float[n * 10];
        logProbabilities(net, images, 0, n, scores);
        Faithfulness faith = new Faithfulness((im, f, c, o) -> logProbabilities(net, im, f, c, o));
        INDArray x = Nd4j.create(images, new long[] {n, 784}, 'c');
        int[] pred = new int[n];
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            pred[i] = FfScorer.argmax(scores, i);
            truth[i] = set.label(from + i);
        }
        int passes = target == SaliencyTarget.ALL ? 10 : 1;
        List<SaliencyRow> out = new ArrayList<>();
        for (int p = 0; p < passes; p++) {
            int[] targets = new int[n];
            for (int i = 0; i < n; i++) {
                targets[i] = target.labels(pred[i], truth[i])[p];
            }
            for (SaliencyMethod m : methods) {
                float[] all = m == SaliencyMethod.RANDOM ? null : maps(net, x, targets, m, explained);
                for (int i = 0; i < n; i++) {
                    long id = ids == null ? from + i : ids[i];
                    long exSeed = Rng.mix(seed, id, targets[i]);
                    float[] map = new float[784];
                    if (all == null) {
                        SaliencyMaps.random(exSeed, map);
                    } else {
                        System.arraycopy(all, i * 784, map, 0, 784);
                    }
                    float[] del = new float[Faithfulness.POINTS];
                    float[] ins = new float[Faithfulness.POINTS];
                    faith.curves(images, i * 784, map, targets[i], exSeed, del, ins);
                    float[][] road = FfSaliencyRows.roadCurves(faith, spec, images, i * 784, map, targets[i], exSeed);
                    out.add(SaliencyRow.of(id, truth[i], pred[i], Arrays.copyOfRange(scores, i * 10, i * 10 + 10), targets[i], map,
                            null, del, ins, road[0], road[1], m));
                }
            }
        }
        return out;
    }
}

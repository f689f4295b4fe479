package org.ffspark.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ffspark.saliency.SaliencyMethod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The MLP's gradient maps against central finite differences of z_target and log p_target on a tiny float64 network. */
class MlpSaliencyTest {
    static MultiLayerNetwork tinyNet() {
        MultiLayerNetwork net = new MultiLayerNetwork(MlpBaseline.configuration(List.of(784, 7, 5), 1e-3, 3, DataType.DOUBLE));
        net.init();
        return net;
    }

    static INDArray images(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() < 0.3 ? r.nextDouble() : 0;
        }
        return Nd4j.create(x, new long[] {n, 784}, 'c');
    }

    static double logP(MultiLayerNetwork net, INDArray row, int c) {
        return Math.log(net.output(row).getDouble(0, c));
    }

    static double explained(MultiLayerNetwork net, INDArray row, int c, MlpSaliency.Explained e) {
        return e == MlpSaliency.Explained.LOGIT ? preSoftmax(net, row, c) : logP(net, row, c);
    }

    /** z_c: the output layer's pre-activation, computed from the weights of a network whose last layer is softmax. */
    static double preSoftmax(MultiLayerNetwork net, INDArray row, int c) {
        INDArray h = net.feedForwardToLayer(net.getnLayers() - 1, row, false).get(net.getnLayers() - 1);
        INDArray w = net.getLayer(net.getnLayers() - 1).getParam("W");
        INDArray b = net.getLayer(net.getnLayers() - 1).getParam("b");
        return h.mmul(w).addRowVector(b).getDouble(0, c);
    }

    @ParameterizedTest
    @EnumSource(MlpSaliency.Explained.class)
    void gradientEqualsCentralFiniteDifferences(MlpSaliency.Explained e) {
        MultiLayerNetwork net = tinyNet();
        INDArray x = images(3, 5);
        int[] targets = {4, 0, 9};
        float[] g = MlpSaliency.maps(net, x, targets, SaliencyMethod.MLP_GRADIENT, e);
        float[] gx = MlpSaliency.maps(net, x, targets, SaliencyMethod.MLP_GRADIENT_X_INPUT, e);
        Random r = new Random(1);
        double eps = 1e-5;
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < 40; t++) {
                int p = r.nextInt(784);
                INDArray plus = x.getRow(i).dup().reshape(1, 784);
                INDArray minus = plus.dup();
                plus.putScalar(0, p, plus.getDouble(0, p) + eps);
                minus.putScalar(0, p, minus.getDouble(0, p) - eps);
                double fd = (explained(net, plus, targets[i], e) - explained(net, minus, targets[i], e)) / (2 * eps);
                assertEquals(fd, g[i * 784 + p], 1e-6 + 1e-5 * Math.abs(fd), e + " example " + i + " pixel " + p);
                assertEquals(g[i * 784 + p] * x.getDouble(i, p), gx[i * 784 + p], 1e-6);
            }
        }
        float[] byDefault = MlpSaliency.maps(net, x, targets, SaliencyMethod.MLP_GRADIENT);
        assertEquals(e == MlpSaliency.Explained.LOGIT, java.util.Arrays.equals(g, byDefault), "the logit by default");
    }

    @ParameterizedTest
    @EnumSource(MlpSaliency.Explained.class)
    void integratedGradientsAddUpToTheChangeOfTheExplainedQuantity(MlpSaliency.Explained e) {
        MultiLayerNetwork net = tinyNet();
        INDArray x = images(2, 8);
        int[] targets = {2, 7};
        float[] ig = MlpSaliency.maps(net, x, targets, SaliencyMethod.MLP_INTEGRATED_GRADIENTS, e);
        for (int i = 0; i < 2; i++) {
            double sum = 0;
            for (int p = 0; p < 784; p++) {
                sum += ig[i * 784 + p];
            }
            double change = explained(net, x.getRow(i).dup().reshape(1, 784), targets[i], e)
                    - explained(net, Nd4j.zeros(DataType.DOUBLE, 1, 784), targets[i], e);
            assertEquals(change, sum, 0.02 * Math.abs(change) + 1e-4, "completeness of integrated gradients (" + e + "), example " + i);
        }
    }
}

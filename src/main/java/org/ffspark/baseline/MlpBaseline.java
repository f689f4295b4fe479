package org.ffspark.baseline;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.Rng;
import org.ffspark.report.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The paper's baseline: a backprop MLP (ReLU hidden layers of the FF net's sizes, softmax output, cross-entropy,
 * Adam) trained with DL4J's own Spark training, {@link SparkDl4jMultiLayer} with
 * {@link ParameterAveragingTrainingMaster}, on the same shards as FF: one worker per shard, averaging every
 * {@code averagingPeriod} minibatches, minibatches drawn per (seed, epoch, shard). Pixels are scaled to [0, 1].
 */
public final class MlpBaseline {
    /** Layer sizes include the 784 inputs; the 10-way softmax output is added. */
    public record Options(List<Integer> layers, double learningRate, int epochs, int batchSize, long seed, int averagingPeriod) {}

    /** Called after every epoch with the network as it is then. */
    public interface EpochListener {
        void epochDone(int epoch, double seconds, MultiLayerNetwork net);
    }

    private MlpBaseline() {}

    public static MultiLayerConfiguration configuration(List<Integer> layers, double learningRate, long seed) {
        return configuration(layers, learningRate, seed, DataType.FLOAT);
    }

    /** The configuration with another data type (tests check gradients in double precision). */
    public static MultiLayerConfiguration configuration(List<Integer> layers, double learningRate, long seed, DataType type) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(type)
                .updater(new Adam(learningRate)).weightInit(WeightInit.RELU).list();
        for (int i = 1; i < layers.size(); i++) {
            b.layer(new DenseLayer.Builder().nIn(layers.get(i - 1)).nOut(layers.get(i)).activation(Activation.RELU).build());
        }
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(layers.get(layers.size() - 1)).nOut(LabeledImages.CLASSES)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
        return b.build();
    }

    /** Pixels of examples [from, to) as a float matrix scaled to [0, 1]. */
    public static INDArray features(LabeledImages set, int from, int to) {
        int n = to - from;
        float[] x = new float[n * LabeledImages.PIXELS];
        byte[] px = set.pixels();
        for (int i = 0, o = from * LabeledImages.PIXELS; i < x.length; i++, o++) {
            x[i] = (px[o] & 0xff) / 255f;
        }
        return Nd4j.create(x, new long[] {n, LabeledImages.PIXELS}, 'c');
    }

    /** The shard's minibatches for one epoch, in an order drawn from (seed, epoch, shard). */
    static List<DataSet> batches(LabeledImages shard, int batch, long seed, int epoch, int shardIndex) {
        int n = shard.count();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Rng rng = new Rng(Rng.mix(seed, 11, epoch, shardIndex));
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from + batch <= n; from += batch) {
            float[] x = new float[batch * LabeledImages.PIXELS];
            float[] y = new float[batch * LabeledImages.CLASSES];
            for (int i = 0; i < batch; i++) {
                int e = order[from + i];
                for (int p = 0; p < LabeledImages.PIXELS; p++) {
                    x[i * LabeledImages.PIXELS + p] = (shard.pixels()[e * LabeledImages.PIXELS + p] & 0xff) / 255f;
                }
                y[i * LabeledImages.CLASSES + shard.label(e)] = 1f;
            }
            out.add(new DataSet(Nd4j.create(x, new long[] {batch, LabeledImages.PIXELS}, 'c'),
                    Nd4j.create(y, new long[] {batch, LabeledImages.CLASSES}, 'c')));
        }
        return out;
    }

    /** Trains on the shards (one ParameterAveraging worker per shard) and returns the network. */
    public static MultiLayerNetwork fit(JavaSparkContext jsc, JavaRDD<LabeledImages> shards, Options opt, EpochListener listener) {
        int workers = shards.getNumPartitions();
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(workers, opt.batchSize())
                .batchSizePerWorker(opt.batchSize()).averagingFrequency(opt.averagingPeriod()).workerPrefetchNumBatches(0)
                .saveUpdater(true).repartionData(Repartition.Never).rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(opt.seed()).collectTrainingStats(false).build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(jsc, configuration(opt.layers(), opt.learningRate(), opt.seed()), tm);
        final int batch = opt.batchSize();
        final long seed = opt.seed();
        for (int epoch = 0; epoch < opt.epochs(); epoch++) {
            final int e = epoch;
            long t0 = System.nanoTime();
            JavaRDD<DataSet> data = shards.mapPartitionsWithIndex((Integer p, Iterator<LabeledImages> it) -> {
                List<DataSet> all = new ArrayList<>();
                while (it.hasNext()) {
                    all.addAll(batches(it.next(), batch, seed, e, p));
                }
                return all.iterator();
            }, true);
            jsc.setJobGroup("ffspark-mlp-epoch-" + epoch, "MLP baseline (DL4J ParameterAveraging): epoch " + (epoch + 1) + "/" + opt.epochs(), false);
            spark.fit(data);
            listener.epochDone(epoch, (System.nanoTime() - t0) / 1e9, spark.getNetwork());
        }
        jsc.clearJobGroup();
        return spark.getNetwork();
    }

    /** Accuracy and confusion of the network on a labelled set, in slices of 2,000. */
    public static Evaluation evaluate(MultiLayerNetwork net, LabeledImages set) {
        Evaluation ev = new Evaluation();
        for (int from = 0; from < set.count(); from += 2000) {
            int to = Math.min(set.count(), from + 2000);
            INDArray out = net.output(features(set, from, to));
            INDArray pred = out.argMax(1);
            for (int i = 0; i < to - from; i++) {
                ev.add(set.label(from + i), pred.getInt(i));
            }
        }
        return ev;
    }
}

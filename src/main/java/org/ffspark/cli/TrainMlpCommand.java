package org.ffspark.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.ffspark.config.ConfigException;
import org.ffspark.config.ConfigKeys;
import org.ffspark.config.TrainFfConfig;
import org.ffspark.io.Storage;
import org.ffspark.job.MlpTrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ffspark train-mlp}: the backprop MLP baseline on DL4J's Spark parameter averaging. */
@Command(name = "train-mlp", mixinStandardHelpOptions = true,
        description = {"Train the paper's baseline, a backprop MLP (ReLU hidden layers sized as ff.layers, softmax output, Adam),",
                "with DL4J's SparkDl4jMultiLayer + ParameterAveragingTrainingMaster on the same shards, seed, batch size,",
                "epochs and averaging period as 'ffspark train'. Test accuracy after every epoch goes to metrics.jsonl;",
                "the model is saved in DL4J's format (mlp.zip) with a manifest, and 'ffspark evaluate' reads it."})
final class TrainMlpCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    PathOptions.Data dataIn;

    @Mixin
    PathOptions.ModelOut modelOut;

    @Option(names = "--learning-rate", paramLabel = "LR", defaultValue = "0.001", description = "Adam learning rate of the MLP (default ${DEFAULT-VALUE}; train.learning-rate is FF's).")
    double learningRate;

    @Mixin
    ShardOptions shards;

    @Option(names = "--averaging-period", paramLabel = "BATCHES",
            description = "Minibatches per worker between parameter averages; shorthand for the key dist.averaging-period.")
    Integer averagingPeriod;

    @Mixin
    SparkOptions sparkOptions;

    @Mixin
    OverwriteOption output;

    @Override
    public Integer call() {
        shards.validate();
        ConfigException.require(averagingPeriod == null || averagingPeriod >= 1, "--averaging-period", averagingPeriod, "must be >= 1 minibatch");
        TrainFfConfig cfg = averagingPeriod == null ? config.load() : config.load(List.of(ConfigKeys.AVERAGING_PERIOD.name() + "=" + averagingPeriod));
        org.ffspark.config.AveragingPeriod period = cfg.dist().averagingPeriod();
        ConfigException.require(period.unit() == org.ffspark.config.AveragingPeriod.Unit.BATCHES, ConfigKeys.AVERAGING_PERIOD.name(),
                period.format(), "train-mlp averages every N minibatches; give a number of minibatches");
        try (SparkSession spark = Sessions.open("train-mlp", sparkOptions.master)) {
            MlpTrainJob.run(spark, new Storage(spark.sparkContext().hadoopConfiguration()), cfg,
                    new MlpTrainJob.Options(dataIn.data, modelOut.model, shards.partitions, learningRate, (int) period.amount(), output.overwrite),
                    r -> System.out.printf(Locale.ROOT, "mlp epoch %d/%d  %.1f s  %.0f ex/s  test %.2f%%  elapsed %.1f s%n",
                            r.epoch() + 1, r.epochs(), r.seconds(), r.examplesPerSecond(), 100 * r.testAccuracy(), r.elapsedSeconds()));
        }
        System.out.println("train-mlp: model written to " + modelOut.model);
        return Main.OK;
    }
}

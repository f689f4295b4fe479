package org.ffspark.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.ffspark.config.ConfigException;
import org.ffspark.data.Split;
import org.ffspark.io.Storage;
import org.ffspark.job.SaliencyJob;
import org.ffspark.saliency.SaliencyMethod;
import org.ffspark.saliency.SaliencySpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import org.ffspark.saliency.SaliencyTarget;

/** {@code ffspark saliency}: saliency maps and faithfulness for every example of a split, to Parquet. */
@Command(name = "saliency", mixinStandardHelpOptions = true,
        description = {"Compute FF saliency maps (and the random floor) for every example of a split with faithfulness curves;",
                "write Parquet partitioned by method (schema data-schemas/saliency.avsc), atomically."})
final class SaliencyCommand implements Callable<Integer> {
    @Mixin
    PathOptions.ModelIn modelIn;

    @Mixin
    PathOptions.Data dataIn;

    @Option(names = "--split", defaultValue = "test", description = "test or train (default ${DEFAULT-VALUE}).")
    Split split;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output Parquet directory.")
    String out;

    @Option(names = "--methods", split = ",",
            description = {"Comma-separated methods. Default: all that apply to the model: FF_OCCLUSION, FF_OCCLUSION_PATCH,",
                    "FF_CONTRASTIVE, FF_GRADIENT, FF_GRADIENT_X_INPUT, RANDOM for an FF model; MLP_GRADIENT, MLP_GRADIENT_X_INPUT,",
                    "MLP_INTEGRATED_GRADIENTS, RANDOM for the MLP baseline (train-mlp)."})
    List<SaliencyMethod> methods = new ArrayList<>();

    @Option(names = "--target", defaultValue = "PREDICTED", description = "Labels explained: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    SaliencyTarget target;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random map and of tie-breaking (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--mlp-explains", defaultValue = "LOGIT",
            description = "What the MLP baseline's maps explain: LOGIT (the target's pre-softmax output) or LOG_PROBABILITY (default ${DEFAULT-VALUE}); FF maps follow the model's prediction rule.")
    org.ffspark.baseline.MlpSaliency.Explained mlpExplains;

    @Option(names = "--patch", defaultValue = "" + SaliencySpec.DEFAULT_PATCH, paramLabel = "K",
            description = "FF_OCCLUSION_PATCH: side of the square patch, 1..28 (default ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--stride", defaultValue = "" + SaliencySpec.DEFAULT_STRIDE, paramLabel = "S",
            description = "FF_OCCLUSION_PATCH: step between patches, 1..K (default ${DEFAULT-VALUE}); a last row and column of patches sits flush with the edge.")
    int stride;

    @Option(names = "--road",
            description = "Also take the faithfulness curves under ROAD's noisy linear imputation (columns road_*), besides the zero baseline.")
    boolean road;

    @Option(names = "--limit", defaultValue = "0", description = "Only the first N examples (0 = all).")
    int limit;

    @Mixin
    SparkOptions sparkOptions;

    @Mixin
    OverwriteOption output;

    @Override
    public Integer call() {
        Split s = split;
        ConfigException.require(limit >= 0, "--limit", limit, "must be >= 0");
        ConfigException.require(patch >= 1 && patch <= 28, "--patch", patch, "must be in 1..28");
        ConfigException.require(stride >= 1 && stride <= patch, "--stride", stride, "must be in 1..--patch (" + patch + ")");
        long t0 = System.nanoTime();
        try (SparkSession spark = Sessions.open("saliency", sparkOptions.master)) {
            long rows = SaliencyJob.run(spark, new Storage(spark.sparkContext().hadoopConfiguration()),
                    new SaliencyJob.Options(modelIn.model, dataIn.data, s, out,
                            new SaliencySpec(methods, target, seed, patch, stride, road), limit, output.overwrite, mlpExplains));
            System.out.printf("saliency: %d maps written to %s in %.1f s%n", rows, out, (System.nanoTime() - t0) / 1e9);
        }
        return Main.OK;
    }
}

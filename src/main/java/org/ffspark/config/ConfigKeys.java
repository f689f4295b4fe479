package org.ffspark.config;

import static org.ffspark.config.Param.enumKey;
import static org.ffspark.config.Param.floatKey;
import static org.ffspark.config.Param.intKey;
import static org.ffspark.config.Param.intListKey;
import static org.ffspark.config.Param.longKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key of an FF training configuration, each declared once (name, default, description, rules). The defaults
 * are the paper's 784-500-500 configuration. A key added later takes a default that keeps earlier runs unchanged,
 * so a record without it (an older checkpoint or manifest) had the default's behaviour.
 */
public final class ConfigKeys {
    private static final List<Param<?>> ALL = new ArrayList<>();

    // ---- the network (recorded in the model manifest; inference depends on it) ----

    public static final Param<List<Integer>> LAYERS = add(intListKey("ff.layers", "784,500,500", "784,500,500",
            "Layer sizes, input first: 784 (28x28) then each hidden layer's width.")
            .rule(v -> v.size() >= 2, "give the input size and at least one hidden size, e.g. 784,500,500")
            .rule(v -> v.get(0) == FfConfig.INPUT_SIZE, "the first size is the input and must be 784 (28x28 images)")
            .rule(v -> v.stream().allMatch(s -> s >= 1), "every size must be >= 1"));

    public static final Param<GoodnessKind> GOODNESS = add(enumKey("ff.goodness", GoodnessKind.class, GoodnessKind.MEAN_SQUARES,
            "Goodness of a layer: MEAN_SQUARES (mean of squared activities; one threshold for every width) or "
                    + "SUM_SQUARES (Hinton)."));

    public static final Param<NormKind> NORM = add(enumKey("ff.norm", NormKind.class, NormKind.L2,
            "Normalisation of each layer's input, the image included: L2 (v/(|v|+1e-4), Hinton) or RMS "
                    + "(v/(rms(v)+1e-8), for wide layers)."));

    public static final Param<Float> THRESHOLD = add(floatKey("ff.threshold", "2.0",
            "Goodness threshold theta (> 0): positives are pushed above it, negatives below.")
            .rule(v -> v > 0 && Float.isFinite(v), "must be a finite number > 0 (goodness is never negative)"));

    public static final Param<ScoreLayers> SCORE_LAYERS = add(enumKey("ff.score-layers", ScoreLayers.class, ScoreLayers.ALL,
            "Layers whose goodness is summed into a label's score: ALL, or SKIP_FIRST (needs >= 2 hidden layers)."));

    public static final Param<ReadoutKind> READOUT = add(enumKey("ff.readout", ReadoutKind.class, ReadoutKind.NONE,
            "Prediction rule: NONE (the label of highest goodness, one pass per label) or SOFTMAX (one pass with the "
                    + "neutral label 0.1 in every label pixel, then a linear softmax layer on the normalised activities of "
                    + "the ff.score-layers layers, trained with cross-entropy beside the FF layers, its gradient stopped "
                    + "at them)."));

    // ---- learning ----

    public static final Param<OptimizerKind> OPTIMIZER = add(enumKey("train.optimizer", OptimizerKind.class, OptimizerKind.ADAM,
            "ADAM or SGD (with momentum)."));

    public static final Param<Float> LEARNING_RATE = add(floatKey("train.learning-rate", "0.03", "Learning rate (> 0).")
            .rule(v -> v > 0 && Float.isFinite(v), "must be a finite number > 0"));

    public static final Param<LrSchedule> LR_SCHEDULE = add(enumKey("train.lr-schedule", LrSchedule.class, LrSchedule.CONSTANT,
            "CONSTANT, LINEAR_DECAY_SECOND_HALF (constant, then linear to 0 over the second half of training) or COSINE "
                    + "(from the rate to 0 along a half cosine over the whole of training)."));

    public static final Param<Float> LR_WARMUP_EPOCHS = add(floatKey("train.lr-warmup-epochs", "0",
            "Linear learning-rate warm-up over this many epochs (0 = none; at most train.epochs); helps distributed runs "
                    + "whose first rounds average workers that moved far apart."));

    public static final Param<Float> ADAM_BETA1 = add(floatKey("train.adam.beta1", "0.9",
            "Adam's first-moment decay rate, in [0, 1).").rule(v -> v >= 0 && v < 1, "must be in [0, 1)"));

    public static final Param<Float> ADAM_BETA2 = add(floatKey("train.adam.beta2", "0.999",
            "Adam's second-moment decay rate, in [0, 1).").rule(v -> v >= 0 && v < 1, "must be in [0, 1)"));

    public static final Param<Float> ADAM_EPSILON = add(floatKey("train.adam.epsilon", "1e-8",
            "Adam's denominator epsilon (> 0).").rule(v -> v > 0, "must be > 0"));

    public static final Param<Float> SGD_MOMENTUM = add(floatKey("train.sgd.momentum", "0.9",
            "SGD momentum, in [0, 1).").rule(v -> v >= 0 && v < 1, "must be in [0, 1)"));

    public static final Param<Float> WEIGHT_DECAY = add(floatKey("train.weight-decay", "0",
            "L2 weight decay added to every gradient (>= 0).").rule(v -> v >= 0 && Float.isFinite(v), "must be >= 0"));

    public static final Param<Integer> BATCH_SIZE = add(intKey("train.batch-size", "100",
            "Examples per minibatch (each gives one positive and one negative pass).").rule(v -> v >= 1, "must be >= 1"));

    public static final Param<Integer> EPOCHS = add(intKey("train.epochs", "20",
            "Passes over the training data (per layer for GREEDY).").rule(v -> v >= 1, "must be >= 1"));

    public static final Param<Schedule> SCHEDULE = add(enumKey("train.schedule", Schedule.class, Schedule.SIMULTANEOUS,
            "SIMULTANEOUS (every layer learns from every minibatch) or GREEDY (layer 1 for all epochs, then layer 2, ...)."));

    public static final Param<NegativeKind> NEGATIVES = add(enumKey("train.negatives", NegativeKind.class, NegativeKind.RANDOM,
            "Wrong label of a negative: RANDOM (uniform over the 9 wrong labels), HARD (in proportion to the softmax of the "
                    + "model's scores) or HARD_SCALED (the same on scores divided by their standard deviation: scale-free)."));

    public static final Param<Long> SEED = add(longKey("train.seed", "42",
            "Run seed: initial weights, shuffles and negatives all derive from it."));

    public static final Param<WeightDecayMode> WEIGHT_DECAY_MODE = add(enumKey("train.weight-decay-mode", WeightDecayMode.class,
            WeightDecayMode.L2, "L2 (train.weight-decay times the weight added to the gradient) or DECOUPLED (AdamW: the "
                    + "weight shrinks by learning rate times train.weight-decay beside the update)."));

    public static final Param<Integer> SHIFT_PIXELS = add(intKey("train.shift-pixels", "0",
            "Augmentation: every training image is shifted by a random offset of up to this many pixels in x and y, "
                    + "zeros filling in (0 = none); drawn from the run seed per batch, so retries and resumes replay it.")
            .rule(v -> v >= 0 && v <= 4, "must be in [0, 4]"));

    public static final Param<Float> DROPOUT = add(floatKey("train.dropout", "0",
            "Dropout on every layer's input while training: each image pixel (the same for an example's positive and "
                    + "negative pass) and each normalised activity is zeroed with this probability and the rest scaled by "
                    + "1/(1 - p) (0 = none); masks drawn from the run seed per batch, so retries and resumes replay them.")
            .rule(v -> v >= 0f && v < 0.9f, "must be in [0, 0.9)"));

    public static final Param<Float> PEER_NORM = add(floatKey("train.peer-norm", "0",
            "Peer normalisation strength lambda (0 = none; Hinton's Matlab and loeweX use 0.03): each trained layer adds "
                    + "lambda/(1-m) * sum_j (r_j - mean(r))^2 to its loss, r_j being a running mean (momentum m = 0.9) of "
                    + "unit j's activity on positive data, which pulls every unit's mean activity toward the layer's.")
            .rule(v -> v >= 0f && Float.isFinite(v), "must be a finite number >= 0"));

    public static final Param<Float> READOUT_LR_SCALE = add(floatKey("train.readout-lr-scale", "1",
            "The softmax readout's learning rate as a multiple of train.learning-rate (same schedule; used with "
                    + "ff.readout = SOFTMAX).")
            .rule(v -> v > 0f && Float.isFinite(v), "must be a finite number > 0"));

    // ---- distributed training (Spark only; train's and retrain's flags of the same names are shorthands) ----

    public static final Param<AveragingPeriod> AVERAGING_PERIOD = add(Param.periodKey("dist.averaging-period", "100",
            "How long each partition trains between two parameter averages (an averaging round): minibatches (10), "
                    + "examples per partition (3000 examples) or epochs (0.5 epochs); examples and epochs are rounded to "
                    + "whole minibatches, at least one.")
            .rule(AveragingPeriod::valid, "must be a positive amount")
            .formerly("spark.averaging-period-batches"));

    public static final Param<Boolean> SPLIT_BATCH = add(Param.boolKey("dist.split-batch", "true",
            "true: train.batch-size is the global minibatch, shared by the N partitions (each trains batch/N examples "
                    + "per step, rounded, at least 1), so a configuration tuned in one JVM keeps its batch; false: each "
                    + "partition trains train.batch-size examples per step."));

    public static final Param<OptimizerState> OPTIMIZER_STATE = add(enumKey("dist.optimizer-state", OptimizerState.class,
            OptimizerState.PER_WORKER,
            "AVERAGED (the optimizer state is averaged with the parameters every round) or PER_WORKER (each partition "
                    + "keeps its own Adam moments or momentum, held in the executors; only parameters are averaged and travel; "
                    + "resume needs the same partition count).")
            .expecting("averaged or per-worker")
            .formerly("spark.optimizer-state"));

    public static final Param<Float> BLOCK_MOMENTUM = add(floatKey("dist.block-momentum", "0.5",
            "Block momentum MU (BMUF) of the driver's update, in [0, 1): v = MU*v + ETA*(average - start), "
                    + "params = start + v; 0 with dist.block-lr 1 is plain averaging. Applies with 2 or more partitions "
                    + "(one partition trains as the single JVM does).")
            .rule(v -> v >= 0f && v < 1f, "must be in [0, 1)")
            .formerly("spark.block-momentum"));

    public static final Param<Float> BLOCK_LR = add(floatKey("dist.block-lr", "1.5",
            "Block learning rate ETA of the driver's update, in (0, 10]; with dist.block-momentum 0.5 the steady step is ETA/(1-MU) = 3x the workers' average movement. Applies with 2 or more partitions.")
            .rule(v -> v > 0f && v <= 10f, "must be in (0, 10]")
            .formerly("spark.block-learning-rate"));

    public static final Param<Integer> RESHUFFLE_EPOCHS = add(intKey("dist.reshuffle-epochs", "0",
            "Move examples between shards every N epochs (0 = never: each partition keeps its shard for the whole run): "
                    + "a permutation drawn from (seed, epoch) deals the training set out again, shard sizes unchanged, so "
                    + "retries and resumes replay it. Costs a shuffle of the training set and a second cached copy.")
            .rule(v -> v >= 0, "must be >= 0 (0 = never)"));

    public static final Param<Integer> CHECKPOINT_EVERY = add(intKey("dist.checkpoint-every", "50",
            "Checkpoint every N averaging rounds and after the last; 0 = never. Does not change the result.")
            .rule(v -> v >= 0, "must be >= 0 (0 = never)"));

    public static final Param<Integer> CHECKPOINT_KEEP = add(intKey("dist.checkpoint-keep", "3",
            "Checkpoints kept: once a checkpoint is written, all but the newest N are deleted (permanent ones "
                    + "excepted). Does not change the result.")
            .rule(v -> v >= 1, "must be >= 1"));

    public static final Param<Integer> CHECKPOINT_PERMANENT_EVERY = add(intKey("dist.checkpoint-permanent-every", "0",
            "Every N-th checkpoint of the cadence (after round N * dist.checkpoint-every, 2N * ..., ...) is kept "
                    + "for good besides the newest dist.checkpoint-keep; 0 = none. Does not change the result.")
            .rule(v -> v >= 0, "must be >= 0 (0 = none)"));

    private ConfigKeys() {}

    /** The declaration a record calls {@code name}, under its present or a former name; null when unknown. */
    public static Param<?> byNameOrFormer(String name) {
        for (Param<?> p : ALL) {
            if (p.name().equals(name) || p.formerNames().contains(name)) {
                return p;
            }
        }
        return null;
    }

    private static <T> Param<T> add(Param<T> p) {
        ALL.add(p);
        return p;
    }

    /** Every key, in declaration order. */
    public static List<Param<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The declaration named {@code name}, or null. */
    public static Param<?> byName(String name) {
        for (Param<?> p : ALL) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** Every key's default as written in a properties file, in declaration order. */
    public static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        ALL.forEach(p -> m.put(p.name(), p.defaultValue()));
        return m;
    }

    /** The documented properties file of every key at its default ({@code conf/train-ff.properties} is this text). */
    public static String propertiesFile() {
        StringBuilder b = new StringBuilder();
        b.append("# ffspark FF training configuration: every key, its meaning and its default (generated by\n")
                .append("# `ffspark config --format properties`; a test keeps this file equal to it).\n")
                .append("# Precedence (lowest first): built-in defaults (the values below), a file (--config), then --set key=value.\n")
                .append("# Unknown keys are refused.\n");
        String group = "";
        for (Param<?> p : ALL) {
            String g = groupOf(p);
            if (!g.equals(group)) {
                b.append("\n# --- ").append(g).append(" ---\n");
                group = g;
            }
            for (String line : wrap(p.doc(), 110)) {
                b.append("# ").append(line).append('\n');
            }
            b.append(p.name()).append(" = ").append(p.defaultValue()).append('\n');
        }
        return b.toString();
    }

    /** The Markdown table of every key (the body of docs/configuration.md's key table). */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| key | default | meaning | rules |\n|---|---|---|---|\n");
        for (Param<?> p : ALL) {
            b.append("| `").append(p.name()).append("` | `").append(p.defaultValue()).append("` | ")
                    .append(p.doc().replace("|", "\\|")).append(" | ").append(String.join("; ", p.ruleTexts()).replace("|", "\\|"))
                    .append(" |\n");
        }
        return b.toString();
    }

    private static String groupOf(Param<?> p) {
        if (p.name().startsWith("ff.")) {
            return "the network (recorded in the model manifest; inference depends on it)";
        }
        return p.name().startsWith("dist.")
                ? "distributed training (Spark only; the flags of train and retrain with the same names are shorthands)"
                : "learning";
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}

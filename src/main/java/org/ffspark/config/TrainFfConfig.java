package org.ffspark.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The configuration of an FF training run: the network ({@link FfConfig}), how it learns ({@link TrainConfig}) and,
 * on Spark, how the workers are combined ({@link DistConfig}). Loaded with the precedence defaults, then a properties file, then {@code key=value}
 * overrides; unknown keys and malformed values are refused with a message that names the source and key.
 * Every key is declared once in {@link ConfigKeys}.
 */
public record TrainFfConfig(FfConfig ff, TrainConfig train, DistConfig dist) {

    /** Every key with its default value, in declaration order. */
    public static final Map<String, String> DEFAULTS = Collections.unmodifiableMap(ConfigKeys.defaults());

    /** Loads defaults, then {@code file} (may be null), then {@code overrides} ("key=value"). */
    public static TrainFfConfig load(Path file, List<String> overrides) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> source = new TreeMap<>();
        if (file != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new ConfigException(file + ": config file not found");
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
            for (String k : p.stringPropertyNames()) {
                put(values, source, k, p.getProperty(k).trim(), file.toString());
            }
        }
        for (String o : overrides == null ? List.<String>of() : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set " + o + ": expected key=value, e.g. --set " + ConfigKeys.EPOCHS.name() + "=5");
            }
            put(values, source, o.substring(0, eq).trim(), o.substring(eq + 1).trim(), "--set");
        }
        try {
            return fromMap(values);
        } catch (ConfigException e) {
            String key = e.getMessage().split(" ", 2)[0];
            String where = source.get(key);
            throw new ConfigException((where == null ? "default" : where) + ": " + e.getMessage());
        }
    }

    private static void put(Map<String, String> values, Map<String, String> source, String key, String value,
                            String where) {
        if (!DEFAULTS.containsKey(key)) {
            throw new ConfigException(where + ": unknown key '" + key + "'; known keys: " + String.join(", ", DEFAULTS.keySet()));
        }
        values.put(key, value);
        source.put(key, where);
    }

    private static <T> T get(Map<String, String> v, Param<T> key) {
        return key.parse(v.get(key.name()));
    }

    private static TrainFfConfig fromMap(Map<String, String> v) {
        FfConfig ff = new FfConfig(get(v, ConfigKeys.LAYERS), get(v, ConfigKeys.GOODNESS), get(v, ConfigKeys.NORM),
                get(v, ConfigKeys.THRESHOLD), get(v, ConfigKeys.SCORE_LAYERS), get(v, ConfigKeys.READOUT));
        TrainConfig train = new TrainConfig(get(v, ConfigKeys.OPTIMIZER), get(v, ConfigKeys.LEARNING_RATE),
                get(v, ConfigKeys.LR_SCHEDULE), get(v, ConfigKeys.LR_WARMUP_EPOCHS), get(v, ConfigKeys.ADAM_BETA1),
                get(v, ConfigKeys.ADAM_BETA2), get(v, ConfigKeys.ADAM_EPSILON), get(v, ConfigKeys.SGD_MOMENTUM),
                get(v, ConfigKeys.WEIGHT_DECAY), get(v, ConfigKeys.BATCH_SIZE), get(v, ConfigKeys.EPOCHS),
                get(v, ConfigKeys.SCHEDULE), get(v, ConfigKeys.NEGATIVES), get(v, ConfigKeys.SEED),
                get(v, ConfigKeys.WEIGHT_DECAY_MODE), get(v, ConfigKeys.SHIFT_PIXELS), get(v, ConfigKeys.DROPOUT),
                get(v, ConfigKeys.PEER_NORM), get(v, ConfigKeys.READOUT_LR_SCALE));
        DistConfig dist = new DistConfig(get(v, ConfigKeys.AVERAGING_PERIOD), get(v, ConfigKeys.CHECKPOINT_EVERY),
                get(v, ConfigKeys.OPTIMIZER_STATE), get(v, ConfigKeys.BLOCK_MOMENTUM), get(v, ConfigKeys.BLOCK_LR),
                get(v, ConfigKeys.CHECKPOINT_KEEP), get(v, ConfigKeys.CHECKPOINT_PERMANENT_EVERY), get(v, ConfigKeys.RESHUFFLE_EPOCHS),
                get(v, ConfigKeys.SPLIT_BATCH));
        return new TrainFfConfig(ff, train, dist);
    }

    private static <T> void put(Map<String, String> m, Param<T> key, T value) {
        m.put(key.name(), key.format(value));
    }

    /**
     * The effective configuration as key/value pairs, in declaration order (for run.json, checkpoints and logs);
     * the model manifest records {@link #modelMap()}.
     */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, ConfigKeys.LAYERS, ff.layerSizes());
        put(m, ConfigKeys.GOODNESS, ff.goodness());
        put(m, ConfigKeys.NORM, ff.norm());
        put(m, ConfigKeys.THRESHOLD, ff.threshold());
        put(m, ConfigKeys.SCORE_LAYERS, ff.scoreLayers());
        put(m, ConfigKeys.READOUT, ff.readout());
        put(m, ConfigKeys.OPTIMIZER, train.optimizer());
        put(m, ConfigKeys.LEARNING_RATE, train.learningRate());
        put(m, ConfigKeys.LR_SCHEDULE, train.lrSchedule());
        put(m, ConfigKeys.LR_WARMUP_EPOCHS, train.lrWarmupEpochs());
        put(m, ConfigKeys.ADAM_BETA1, train.beta1());
        put(m, ConfigKeys.ADAM_BETA2, train.beta2());
        put(m, ConfigKeys.ADAM_EPSILON, train.epsilon());
        put(m, ConfigKeys.SGD_MOMENTUM, train.momentum());
        put(m, ConfigKeys.WEIGHT_DECAY, train.weightDecay());
        put(m, ConfigKeys.BATCH_SIZE, train.batchSize());
        put(m, ConfigKeys.EPOCHS, train.epochs());
        put(m, ConfigKeys.SCHEDULE, train.schedule());
        put(m, ConfigKeys.NEGATIVES, train.negatives());
        put(m, ConfigKeys.SEED, train.seed());
        put(m, ConfigKeys.WEIGHT_DECAY_MODE, train.weightDecayMode());
        put(m, ConfigKeys.SHIFT_PIXELS, train.shiftPixels());
        put(m, ConfigKeys.DROPOUT, train.dropout());
        put(m, ConfigKeys.PEER_NORM, train.peerNorm());
        put(m, ConfigKeys.READOUT_LR_SCALE, train.readoutLrScale());
        put(m, ConfigKeys.AVERAGING_PERIOD, dist.averagingPeriod());
        put(m, ConfigKeys.SPLIT_BATCH, dist.splitBatch());
        put(m, ConfigKeys.OPTIMIZER_STATE, dist.optimizerState());
        put(m, ConfigKeys.BLOCK_MOMENTUM, dist.blockMomentum());
        put(m, ConfigKeys.BLOCK_LR, dist.blockLearningRate());
        put(m, ConfigKeys.RESHUFFLE_EPOCHS, dist.reshuffleEpochs());
        put(m, ConfigKeys.CHECKPOINT_EVERY, dist.checkpointEveryRounds());
        put(m, ConfigKeys.CHECKPOINT_KEEP, dist.checkpointKeep());
        put(m, ConfigKeys.CHECKPOINT_PERMANENT_EVERY, dist.checkpointPermanentEvery());
        if (m.size() != ConfigKeys.all().size()) {
            throw new IllegalStateException("toMap covers " + m.size() + " of " + ConfigKeys.all().size() + " keys");
        }
        return m;
    }

    /** The keys that decide a model's parameters on any trainer: the network and learning keys, without {@code dist.*}. */
    public Map<String, String> modelMap() {
        Map<String, String> m = toMap();
        m.keySet().removeIf(k -> k.startsWith("dist."));
        return m;
    }

    /** This configuration with other distributed settings. */
    public TrainFfConfig withDist(DistConfig d) {
        return new TrainFfConfig(ff, train, d);
    }

    /** This configuration with {@code key} set to {@code value} (e.g. a benchmark's epoch count). */
    public TrainFfConfig with(Param<?> key, String value) {
        Map<String, String> m = toMap();
        m.put(key.name(), value);
        return fromMap(m);
    }
}

package org.ffspark.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The configuration of an FF training run: the network ({@link FfConfig}) and how it learns
 * ({@link TrainConfig}). Loaded with the precedence defaults, then a properties file, then {@code key=value}
 * overrides; unknown keys and malformed values are refused with a message that names the source and key.
 * The defaults ({@link #DEFAULTS}) are the paper's 784-500-500 configuration; {@code conf/train-ff.properties}
 * documents every key.
 */
public record TrainFfConfig(FfConfig ff, TrainConfig train) {

    /** Every key with its default value; the single place where defaults live. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("ff.layers", "784,500,500");
        d.put("ff.goodness", "MEAN_SQUARES");
        d.put("ff.norm", "L2");
        d.put("ff.threshold", "2.0");
        d.put("ff.score-layers", "ALL");
        d.put("train.optimizer", "ADAM");
        d.put("train.learning-rate", "0.03");
        d.put("train.lr-schedule", "CONSTANT");
        d.put("train.lr-warmup-epochs", "0");
        d.put("train.adam.beta1", "0.9");
        d.put("train.adam.beta2", "0.999");
        d.put("train.adam.epsilon", "1e-8");
        d.put("train.sgd.momentum", "0.9");
        d.put("train.weight-decay", "0");
        d.put("train.batch-size", "100");
        d.put("train.epochs", "20");
        d.put("train.schedule", "SIMULTANEOUS");
        d.put("train.negatives", "RANDOM");
        d.put("train.seed", "42");
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
    }

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
                throw new ConfigException("--set " + o + ": expected key=value, e.g. --set train.epochs=5");
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

    private static TrainFfConfig fromMap(Map<String, String> v) {
        FfConfig ff = new FfConfig(intList(v, "ff.layers"), enumOf(v, "ff.goodness", GoodnessKind.class),
                enumOf(v, "ff.norm", NormKind.class), floatOf(v, "ff.threshold"),
                enumOf(v, "ff.score-layers", ScoreLayers.class));
        TrainConfig train = new TrainConfig(enumOf(v, "train.optimizer", OptimizerKind.class),
                floatOf(v, "train.learning-rate"), enumOf(v, "train.lr-schedule", LrSchedule.class),
                floatOf(v, "train.lr-warmup-epochs"),
                floatOf(v, "train.adam.beta1"), floatOf(v, "train.adam.beta2"), floatOf(v, "train.adam.epsilon"),
                floatOf(v, "train.sgd.momentum"), floatOf(v, "train.weight-decay"), intOf(v, "train.batch-size"),
                intOf(v, "train.epochs"), enumOf(v, "train.schedule", Schedule.class),
                enumOf(v, "train.negatives", NegativeKind.class), longOf(v, "train.seed"));
        return new TrainFfConfig(ff, train);
    }

    /** The effective configuration as key/value pairs, in {@link #DEFAULTS} order (for run.json and logs). */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ff.layers", FfConfig.join(ff.layerSizes()));
        m.put("ff.goodness", ff.goodness().name());
        m.put("ff.norm", ff.norm().name());
        m.put("ff.threshold", Float.toString(ff.threshold()));
        m.put("ff.score-layers", ff.scoreLayers().name());
        m.put("train.optimizer", train.optimizer().name());
        m.put("train.learning-rate", Float.toString(train.learningRate()));
        m.put("train.lr-schedule", train.lrSchedule().name());
        m.put("train.lr-warmup-epochs", Float.toString(train.lrWarmupEpochs()));
        m.put("train.adam.beta1", Float.toString(train.beta1()));
        m.put("train.adam.beta2", Float.toString(train.beta2()));
        m.put("train.adam.epsilon", Float.toString(train.epsilon()));
        m.put("train.sgd.momentum", Float.toString(train.momentum()));
        m.put("train.weight-decay", Float.toString(train.weightDecay()));
        m.put("train.batch-size", Integer.toString(train.batchSize()));
        m.put("train.epochs", Integer.toString(train.epochs()));
        m.put("train.schedule", train.schedule().name());
        m.put("train.negatives", train.negatives().name());
        m.put("train.seed", Long.toString(train.seed()));
        return m;
    }

    static List<Integer> intList(Map<String, String> v, String key) {
        List<Integer> out = new ArrayList<>();
        for (String part : v.get(key).split(",")) {
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new ConfigException(key + " = " + v.get(key) + ": expected comma-separated integers, e.g. 784,500,500");
            }
        }
        return out;
    }

    static int intOf(Map<String, String> v, String key) {
        try {
            return Integer.parseInt(v.get(key));
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " = " + v.get(key) + ": expected an integer");
        }
    }

    static long longOf(Map<String, String> v, String key) {
        try {
            return Long.parseLong(v.get(key));
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " = " + v.get(key) + ": expected an integer");
        }
    }

    static float floatOf(Map<String, String> v, String key) {
        try {
            return Float.parseFloat(v.get(key));
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " = " + v.get(key) + ": expected a number");
        }
    }

    static <E extends Enum<E>> E enumOf(Map<String, String> v, String key, Class<E> type) {
        String s = v.get(key).toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                allowed.add(c.name());
            }
            throw new ConfigException(key + " = " + v.get(key) + ": expected one of " + String.join(", ", allowed));
        }
    }
}

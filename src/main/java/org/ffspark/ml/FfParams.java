package org.ffspark.ml;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.ffspark.config.ConfigKeys;
import org.ffspark.config.TrainFfConfig;
import scala.runtime.AbstractFunction1;

/**
 * The Spark ML {@link Param}s of ffspark, derived from the one declaration of each configuration key
 * ({@link ConfigKeys}): the name is the key in camel case without its section ({@code train.learning-rate} is
 * {@code learningRate}, {@code dist.averaging-period} is {@code averagingPeriod}), the doc and default are the key's,
 * and a bad value is refused with the CLI's message (a {@link org.ffspark.config.ConfigException}). Values convert
 * to the key's text form and are parsed exactly as a {@code --set key=value} would be.
 */
final class FfParams implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A declared key and the Spark param that stands for it. */
    record Entry(org.ffspark.config.Param<?> key, Param<?> param) implements Serializable {}

    private final List<Entry> entries = new ArrayList<>();

    /** Creates the params of {@code owner} (whose uid must be set). */
    FfParams(Params owner) {
        for (org.ffspark.config.Param<?> key : ConfigKeys.all()) {
            entries.add(new Entry(key, param(owner, key)));
        }
    }

    List<Param<?>> params() {
        return entries.stream().<Param<?>>map(Entry::param).toList();
    }

    /** The key params followed by {@code more} (an owner's other params), as {@code Params.params()} returns them. */
    Param<?>[] with(List<Param<?>> more) {
        List<Param<?>> all = new ArrayList<>(params());
        all.addAll(more);
        return all.toArray(new Param<?>[0]);
    }

    /** Sets every param's default (called once by the owner). */
    void setDefaults(Params owner) {
        for (Entry e : entries) {
            setDefault(owner, e.param(), fromText(e.param(), e.key().defaultValue()));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void setDefault(Params owner, Param<T> p, Object v) {
        owner.setDefault(p, (T) v);
    }

    /** The configuration that {@code owner}'s values (defaults included) stand for, as the CLI would load it. */
    TrainFfConfig config(Params owner) {
        List<String> overrides = new ArrayList<>();
        for (Entry e : entries) {
            overrides.add(e.key().name() + "=" + toText(owner.getOrDefault(e.param())));
        }
        return TrainFfConfig.load(null, overrides);
    }

    /** Sets {@code owner}'s params from a configuration's key/value map (e.g. a model manifest's). */
    void setFrom(Params owner, Map<String, String> keys) {
        for (Entry e : entries) {
            String v = keys.get(e.key().name());
            if (v != null) {
                set(owner, e.param(), fromText(e.param(), v));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(Params owner, Param<T> p, Object v) {
        owner.set(p, (T) v);
    }

    /** The Spark param name of a key: its words after the section, in camel case. */
    static String sparkName(String key) {
        String rest = key.substring(key.indexOf('.') + 1);
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : rest.toCharArray()) {
            if (c == '.' || c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Param<?> param(Params owner, org.ffspark.config.Param<?> key) {
        String parent = owner.uid();
        String name = sparkName(key.name());
        String doc = key.doc() + " (key " + key.name() + ")";
        Object def = key.defaultTyped();
        scala.Function1 v = new Validator(key);
        if (def instanceof Integer) {
            return new IntParam(parent, name, doc, v);
        } else if (def instanceof Long) {
            return new LongParam(parent, name, doc, v);
        } else if (def instanceof Float) {
            return new FloatParam(parent, name, doc, v);
        } else if (def instanceof List) {
            return new IntArrayParam(owner, name, doc, v);
        } else if (def instanceof Boolean) {
            return new org.apache.spark.ml.param.BooleanParam(parent, name, doc);
        }
        return new Param<String>(parent, name, doc + "; one of " + enumValues(def), (scala.Function1<String, Object>) v);
    }

    private static String enumValues(Object def) {
        return def instanceof Enum<?> e ? java.util.Arrays.toString(e.getDeclaringClass().getEnumConstants()) : "";
    }

    /** A Spark value in the key's text form. */
    static String toText(Object v) {
        if (v instanceof int[] a) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < a.length; i++) {
                b.append(i == 0 ? "" : ",").append(a[i]);
            }
            return b.toString();
        }
        return String.valueOf(v);
    }

    /** A key's text as the Spark param's value type. */
    static Object fromText(Param<?> p, String text) {
        String t = text.trim();
        if (p instanceof IntParam) {
            return Integer.parseInt(t);
        } else if (p instanceof LongParam) {
            return Long.parseLong(t);
        } else if (p instanceof FloatParam) {
            return Float.parseFloat(t);
        } else if (p instanceof IntArrayParam) {
            return java.util.Arrays.stream(t.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        } else if (p instanceof org.apache.spark.ml.param.BooleanParam) {
            return Boolean.parseBoolean(t);
        }
        // Enum names in upper case; other text keys (the averaging period) as written.
        return t.isEmpty() || Character.isDigit(t.charAt(0)) ? t : t.toUpperCase(Locale.ROOT);
    }

    /** Checks a value as the CLI does; a bad one throws the CLI's one-line error instead of returning false. */
    static final class Validator extends AbstractFunction1<Object, Object> implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String keyName;

        Validator(org.ffspark.config.Param<?> key) {
            this.keyName = key.name();
        }

        @Override
        public Object apply(Object value) {
            ConfigKeys.byNameOrFormer(keyName).parse(toText(value));
            return Boolean.TRUE;
        }
    }
}

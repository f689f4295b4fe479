package org.ffspark.ml;

import java.util.Arrays;
import java.util.List;

import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.ffspark.config.ConfigException;
import org.ffspark.config.ConfigKeys;

/** Setting a param by name with a value of any reasonable type (a number, a string as in a properties file, a list). */
final class Library {
    private Library() {}

    @SuppressWarnings("unchecked")
    static <P extends Params> P set(P owner, String name, Object value) {
        if (!owner.hasParam(name)) {
            throw new ConfigException(name + ": no such param (params: "
                    + String.join(", ", Arrays.stream(owner.params()).map(Param::name).toList()) + ")");
        }
        Param<Object> p = (Param<Object>) owner.getParam(name);
        owner.set(p, convert(p, value));
        return owner;
    }

    private static Object convert(Param<?> p, Object v) {
        if (v instanceof String s && !(p instanceof IntParam || p instanceof LongParam || p instanceof FloatParam || p instanceof IntArrayParam)) {
            boolean key = ConfigKeys.all().stream().anyMatch(k -> FfParams.sparkName(k.name()).equals(p.name()));
            return key ? FfParams.fromText(p, s) : s;
        }
        try {
            if (v instanceof String s) {
                return FfParams.fromText(p, s);
            } else if (v instanceof Number n && p.getClass() == Param.class) {
                return FfParams.fromText(p, n.toString()); // a text key given a number (the averaging period in minibatches)
            } else if (p instanceof IntParam && v instanceof Number n) {
                return n.intValue();
            } else if (p instanceof LongParam && v instanceof Number n) {
                return n.longValue();
            } else if (p instanceof FloatParam && v instanceof Number n) {
                return n.floatValue();
            } else if (p instanceof IntArrayParam && v instanceof List<?> l) {
                return l.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(p.name() + " = " + v + ": not a " + p.getClass().getSimpleName().replace("Param", "").toLowerCase());
        }
        return v instanceof Enum<?> e ? e.name() : v;
    }
}

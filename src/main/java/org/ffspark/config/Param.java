package org.ffspark.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key, declared once in the manner of Spark ML's {@code Param}: its name, default, description,
 * how a value is parsed and printed, and the rule a value must meet. Loading, validation messages, the effective
 * config map, {@code conf/train-ff.properties} and the table in {@code docs/configuration.md} all derive from it
 * ({@link ConfigKeys} holds every declaration).
 *
 * @param <T> the value's type
 */
public final class Param<T> {
    private final String name;
    private final String defaultValue;
    private final String doc;
    private final Function<String, T> parser;
    private final String expected;
    private final Function<T, String> printer;
    private final List<Rule<T>> rules;
    private final List<String> formerNames;

    /** A condition a value must meet, with the message shown when it does not. */
    private record Rule<T>(Predicate<T> test, String text) {}

    private Param(String name, String defaultValue, String doc, Function<String, T> parser, String expected,
                  Function<T, String> printer, List<Rule<T>> rules, List<String> formerNames) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.parser = parser;
        this.expected = expected;
        this.printer = printer;
        this.rules = List.copyOf(rules);
        this.formerNames = List.copyOf(formerNames);
    }

    public String name() {
        return name;
    }

    /** The default as written in a properties file. */
    public String defaultValue() {
        return defaultValue;
    }

    /** What the key means, its unit and its allowed values, in a sentence or two. */
    public String doc() {
        return doc;
    }

    /** The typed default. */
    public T defaultTyped() {
        return parse(defaultValue);
    }

    /** Parses and checks {@code raw}; a malformed or disallowed value is a {@link ConfigException} naming the key. */
    public T parse(String raw) {
        return parse(raw, name);
    }

    /** As {@link #parse(String)}, naming {@code source} (e.g. the command-line flag it came from) instead of the key. */
    public T parse(String raw, String source) {
        T v;
        try {
            v = parser.apply(raw.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + " = " + raw + ": expected " + expected);
        }
        return check(v, source);
    }

    /** Returns {@code v} when it meets the key's rule; otherwise throws {@code "<key> = <v>: <rule>"}. */
    public T check(T v) {
        return check(v, name);
    }

    /** As {@link #check(Object)}, naming {@code source} (e.g. the command-line flag that set it) instead of the key. */
    public T check(T v, String source) {
        for (Rule<T> r : rules) {
            ConfigException.require(r.test().test(v), source, format(v), r.text());
        }
        return v;
    }

    /** The value as written in a properties file and recorded in manifests. */
    public String format(T v) {
        return printer.apply(v);
    }

    /** This declaration with one more rule, e.g. {@code x -> x > 0} described as "must be > 0"; checked in order. */
    public Param<T> rule(Predicate<T> test, String text) {
        List<Rule<T>> more = new ArrayList<>(rules);
        more.add(new Rule<>(test, text));
        return new Param<>(name, defaultValue, doc, parser, expected, printer, more, formerNames);
    }

    /** This declaration with a different "expected ..." text for malformed values. */
    public Param<T> expecting(String text) {
        return new Param<>(name, defaultValue, doc, parser, text, printer, rules, formerNames);
    }

    /** This declaration, also known under {@code former} in records written by earlier versions. */
    public Param<T> formerly(String former) {
        List<String> more = new ArrayList<>(formerNames);
        more.add(former);
        return new Param<>(name, defaultValue, doc, parser, expected, printer, rules, more);
    }

    /** Names earlier versions recorded this key under. */
    public List<String> formerNames() {
        return formerNames;
    }

    /** The rules' texts, for the documentation. */
    public List<String> ruleTexts() {
        return rules.stream().map(Rule::text).toList();
    }

    // ---- the types ----

    public static Param<Integer> intKey(String name, String defaultValue, String doc) {
        return new Param<>(name, defaultValue, doc, Integer::parseInt, "an integer", v -> Integer.toString(v), List.of(), List.of());
    }

    public static Param<Long> longKey(String name, String defaultValue, String doc) {
        return new Param<>(name, defaultValue, doc, Long::parseLong, "an integer", v -> Long.toString(v), List.of(), List.of());
    }

    public static Param<Float> floatKey(String name, String defaultValue, String doc) {
        return new Param<>(name, defaultValue, doc, Float::parseFloat, "a number", v -> Float.toString(v), List.of(), List.of());
    }

    /** A boolean key: {@code true} or {@code false}, in any case. */
    public static Param<Boolean> boolKey(String name, String defaultValue, String doc) {
        return new Param<>(name, defaultValue, doc, v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(v);
        }, "true or false", v -> Boolean.toString(v), List.of(), List.of());
    }

    /** A {@link AveragingPeriod} key: minibatches, examples or epochs. */
    public static Param<AveragingPeriod> periodKey(String name, String defaultValue, String doc) {
        return new Param<>(name, defaultValue, doc, AveragingPeriod::parse,
                "a number of minibatches, or N examples, or F epochs (e.g. 10, 3000 examples, 0.5 epochs)",
                AveragingPeriod::format, List.of(), List.of());
    }

    public static Param<List<Integer>> intListKey(String name, String defaultValue, String example, String doc) {
        return new Param<>(name, defaultValue, doc, Param::intList, "comma-separated integers, e.g. " + example,
                Param::joinInts, List.of(), List.of());
    }

    /** An enum key; values are matched case-insensitively with '-' for '_'. */
    public static <E extends Enum<E>> Param<E> enumKey(String name, Class<E> type, E defaultValue, String doc) {
        List<String> allowed = new ArrayList<>();
        for (E c : type.getEnumConstants()) {
            allowed.add(c.name());
        }
        return new Param<>(name, defaultValue.name(), doc,
                s -> Enum.valueOf(type, s.toUpperCase(Locale.ROOT).replace('-', '_')),
                "one of " + String.join(", ", allowed), Enum::name, List.of(), List.of());
    }

    private static List<Integer> intList(String s) {
        List<Integer> out = new ArrayList<>();
        for (String part : s.split(",")) {
            out.add(Integer.parseInt(part.trim()));
        }
        return List.copyOf(out);
    }

    /** Comma-separated, no spaces: the form {@code ff.layers} is written in. */
    public static String joinInts(List<Integer> v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.size(); i++) {
            b.append(i == 0 ? "" : ",").append(v.get(i));
        }
        return b.toString();
    }
}

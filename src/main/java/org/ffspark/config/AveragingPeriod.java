package org.ffspark.config;

import java.util.Locale;

/**
 * How long partitions train between two parameter averages ({@code dist.averaging-period}): minibatches per
 * partition ({@code 10}, {@code 10 batches}), examples per partition ({@code 3000 examples}) or epochs
 * ({@code 0.5 epochs}, a fraction of the longest shard's epoch). Examples and epochs become minibatches once the
 * partition batch and the shard sizes are known ({@link #batches}).
 */
public record AveragingPeriod(double amount, Unit unit) implements java.io.Serializable {
    /** The unit a period is given in. */
    public enum Unit { BATCHES, EXAMPLES, EPOCHS }

    public AveragingPeriod {
        java.util.Objects.requireNonNull(unit, "unit");
    }

    /** A period of {@code n} minibatches. */
    public static AveragingPeriod ofBatches(int n) {
        return new AveragingPeriod(n, Unit.BATCHES);
    }

    /** Parses {@code "10"}, {@code "10 batches"}, {@code "3000 examples"} or {@code "0.5 epochs"} (singular too). */
    public static AveragingPeriod parse(String s) {
        String[] parts = s.trim().split("\\s+");
        if (parts.length > 2 || parts[0].isEmpty()) {
            throw new IllegalArgumentException(s);
        }
        String word = parts.length == 1 ? "batches" : parts[1].toLowerCase(Locale.ROOT);
        Unit unit = switch (word) {
            case "batch", "batches" -> Unit.BATCHES;
            case "example", "examples" -> Unit.EXAMPLES;
            case "epoch", "epochs" -> Unit.EPOCHS;
            default -> throw new IllegalArgumentException(s);
        };
        double amount = unit == Unit.EPOCHS ? Double.parseDouble(parts[0]) : Long.parseLong(parts[0]);
        return new AveragingPeriod(amount, unit);
    }

    /** As written in a properties file: a plain integer for minibatches (the form earlier versions wrote). */
    public String format() {
        return switch (unit) {
            case BATCHES -> Long.toString((long) amount);
            case EXAMPLES -> (long) amount + " examples";
            case EPOCHS -> stripZeros(amount) + " epochs";
        };
    }

    /** Whether the amount is positive and, for minibatches and examples, fits an int. */
    boolean valid() {
        return amount > 0 && Double.isFinite(amount) && (unit == Unit.EPOCHS || amount <= Integer.MAX_VALUE);
    }

    /**
     * Minibatches per partition between averages, for partitions of {@code batch} examples per minibatch whose
     * longest shard has {@code epochBatches} minibatches per epoch: at least 1, rounded to the nearest.
     */
    public int batches(int batch, int epochBatches) {
        double b = switch (unit) {
            case BATCHES -> amount;
            case EXAMPLES -> amount / batch;
            case EPOCHS -> amount * epochBatches;
        };
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(b)));
    }

    private static String stripZeros(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        return format();
    }
}

package org.ffspark.registry;

import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The promotion rule of {@code retrain}: a candidate becomes champion when there is no champion yet, or when its
 * test accuracy is at least the champion's minus the tolerance (both measured in the same run on the same test
 * set). A tie, or a drop of exactly the tolerance, promotes: the candidate has seen the newer data. A larger
 * drop keeps the candidate as a candidate and the champion as it is.
 */
public final class Promotion {
    /** Slack for float rounding at the tolerance boundary. */
    static final double EPS = 1e-12;

    private Promotion() {}

    /** The decision and its reason in words. */
    public record Decision(boolean promote, String reason) {}

    public static Decision decide(OptionalDouble championAccuracy, double candidateAccuracy, double tolerance) {
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in [0, 1): " + tolerance);
        }
        if (championAccuracy.isEmpty()) {
            return new Decision(true, "no champion yet");
        }
        double champion = championAccuracy.getAsDouble();
        double change = candidateAccuracy - champion;
        String numbers = String.format(Locale.ROOT, "candidate %.4f vs champion %.4f, change %+.4f, tolerance %.4f",
                candidateAccuracy, champion, change, tolerance);
        if (change > EPS) {
            return new Decision(true, "better than the champion (" + numbers + ")");
        }
        if (change >= -EPS) {
            return new Decision(true, "equal to the champion (" + numbers + ")");
        }
        if (-change <= tolerance + EPS) {
            return new Decision(true, "within the tolerance (" + numbers + ")");
        }
        return new Decision(false, "worse than the champion by more than the tolerance (" + numbers + ")");
    }
}

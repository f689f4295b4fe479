package org.ffspark.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The median the benchmarks report: robust to the odd slow run on a shared machine. */
final class Medians {
    private Medians() {}

    /** Median of {@code xs} (mean of the middle two for an even count); refuses an empty list. */
    static double of(List<Double> xs) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("median of no values");
        }
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}

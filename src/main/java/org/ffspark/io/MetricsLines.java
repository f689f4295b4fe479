package org.ffspark.io;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.ffspark.ff.LayerStats;

/**
 * The lines of {@code metrics.jsonl}: one per epoch of a single-JVM run (schema
 * {@code data-schemas/train-metrics.schema.json}) or per averaging round of a Spark run ({@code train-rounds.schema.json}).
 */
public final class MetricsLines {
    private MetricsLines() {}

    /** One layer's means over the examples it saw. */
    public record Layer(int layer, double loss, double goodnessPositive, double goodnessNegative) {
        /** The layers of {@code s} that saw examples, numbered from 1. */
        public static List<Layer> of(LayerStats s) {
            List<Layer> out = new ArrayList<>();
            for (int l = 0; l < s.layers(); l++) {
                if (s.examples(l) > 0) {
                    out.add(new Layer(l + 1, s.meanLoss(l), s.meanGoodnessPositive(l), s.meanGoodnessNegative(l)));
                }
            }
            return out;
        }
    }

    /** An epoch of a single-JVM run; {@code testAccuracy} only with --test-each-epoch. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Epoch(int phase, int epoch, int epochs, double seconds, double examplesPerSecond, List<Layer> layers,
                        Double testAccuracy) {}

    /** An epoch of the MLP baseline's training (its metrics.jsonl; schema {@code data-schemas/mlp-metrics.schema.json}). */
    public record MlpEpoch(int epoch, int epochs, double seconds, double elapsedSeconds, double examplesPerSecond,
                           double testAccuracy) {}

    /** An averaging round of a Spark run; {@code testAccuracy} only at an epoch's end with --test-each-epoch. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Round(int round, int rounds, int phase, int epoch, long examples, double seconds, double computeSeconds,
                        double broadcastSeconds, double aggregateSeconds, double examplesPerSecond, List<Layer> layers,
                        Double testAccuracy) {}
}

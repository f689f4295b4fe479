package org.ffspark.train;

import java.io.Serializable;

import org.ffspark.ff.LayerStats;

/**
 * What the partitions of one averaging round add up to: the tree-summed vector of the partitions that ran
 * batches ({@code [params | m | v]} when the optimizer state is averaged, {@code params} alone when each worker
 * keeps its own), and per partition: step counts, batch counts, statistics, compute time and, per worker, the first
 * non-finite value of its kept optimizer state (kept by partition index, merged in index order on the driver so
 * that even the metrics are deterministic). Its size does not depend on the model beyond one vector.
 */
public final class RoundResult implements Serializable {
    private static final long serialVersionUID = 1L;
    final TreeSum sum;
    final long[][] steps;
    /** Per partition: where its kept optimizer state first went non-finite, or null. */
    final String[] ownNonFinite;
    final int[] batches;
    final LayerStats[] stats;
    /** Seconds each task spent fetching and deserialising its broadcasts ({@link #computeSeconds}: training after that). */
    final double[] fetchSeconds;
    final double[] computeSeconds;

    RoundResult(int partitions) {
        sum = TreeSum.forTreeAggregate(partitions, SparkFfTrainer.AGGREGATION_DEPTH);
        steps = new long[partitions][];
        ownNonFinite = new String[partitions];
        batches = new int[partitions];
        stats = new LayerStats[partitions];
        fetchSeconds = new double[partitions];
        computeSeconds = new double[partitions];
    }

    /** One partition's contribution ({@code vector} is taken over; {@code nonFinite}: see {@link #ownNonFinite}). */
    RoundResult add(int partition, float[] vector, String nonFinite, long[] stepCounts, int batchCount, LayerStats s,
                    double fetch, double seconds) {
        sum.addLeaf(partition, vector);
        ownNonFinite[partition] = nonFinite;
        steps[partition] = stepCounts;
        batches[partition] = batchCount;
        stats[partition] = s;
        fetchSeconds[partition] = fetch;
        computeSeconds[partition] = seconds;
        return this;
    }

    /** Throws the divergence error when a worker's kept optimizer state is no longer finite. */
    void requireFiniteOwn(String where) {
        for (int p = 0; p < ownNonFinite.length; p++) {
            if (ownNonFinite[p] != null) {
                throw LayerStats.diverged("at " + where + " (partition " + p + "'s " + ownNonFinite[p] + ")");
            }
        }
    }

    RoundResult mergeInPlace(RoundResult o) {
        sum.mergeInPlace(o.sum);
        for (int p = 0; p < batches.length; p++) {
            if (o.stats[p] != null) {
                steps[p] = o.steps[p];
                ownNonFinite[p] = o.ownNonFinite[p];
                batches[p] = o.batches[p];
                stats[p] = o.stats[p];
                fetchSeconds[p] = o.fetchSeconds[p];
                computeSeconds[p] = o.computeSeconds[p];
            }
        }
        return this;
    }
}

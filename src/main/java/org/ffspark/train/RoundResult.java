package org.ffspark.train;

import java.io.Serializable;

import org.ffspark.ff.FloatArrays;
import org.ffspark.ff.LayerStats;

/**
 * What the partitions of one averaging round add up to: the tree-summed vector of the partitions that ran
 * batches ({@code [params | m | v]} when the optimizer state is averaged, {@code params} alone when each worker
 * keeps its own), and per-partition step counts, own optimizer state ({@code [m | v]}, per-worker mode only), batch
 * counts, statistics and compute time (kept by partition index, merged in index order on the driver so that even
 * the metrics are deterministic).
 */
public final class RoundResult implements Serializable {
    private static final long serialVersionUID = 1L;
    final TreeSum sum;
    final long[][] steps;
    /** Written in bulk by {@link #writeObject} ({@link FloatArrays}). */
    transient float[][] own;
    final int[] batches;
    final LayerStats[] stats;
    /** Seconds each task spent fetching and deserialising its broadcasts ({@link #computeSeconds}: training after that). */
    final double[] fetchSeconds;
    final double[] computeSeconds;

    RoundResult(int partitions) {
        sum = TreeSum.forTreeAggregate(partitions, SparkFfTrainer.AGGREGATION_DEPTH);
        steps = new long[partitions][];
        own = new float[partitions][];
        batches = new int[partitions];
        stats = new LayerStats[partitions];
        fetchSeconds = new double[partitions];
        computeSeconds = new double[partitions];
    }

    /**
     * One partition's contribution; {@code vector} and {@code ownState} (null unless the worker keeps its own
     * optimizer state) are taken over.
     */
    RoundResult add(int partition, float[] vector, float[] ownState, long[] stepCounts, int batchCount, LayerStats s,
                    double fetch, double seconds) {
        sum.addLeaf(partition, vector);
        own[partition] = ownState;
        steps[partition] = stepCounts;
        batches[partition] = batchCount;
        stats[partition] = s;
        fetchSeconds[partition] = fetch;
        computeSeconds[partition] = seconds;
        return this;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        out.defaultWriteObject();
        for (float[] o : own) {
            FloatArrays.write(out, o);
        }
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        own = new float[batches.length][];
        for (int p = 0; p < own.length; p++) {
            own[p] = FloatArrays.read(in);
        }
    }

    RoundResult mergeInPlace(RoundResult o) {
        sum.mergeInPlace(o.sum);
        for (int p = 0; p < batches.length; p++) {
            if (o.stats[p] != null) {
                steps[p] = o.steps[p];
                own[p] = o.own[p];
                batches[p] = o.batches[p];
                stats[p] = o.stats[p];
                fetchSeconds[p] = o.fetchSeconds[p];
                computeSeconds[p] = o.computeSeconds[p];
            }
        }
        return this;
    }
}

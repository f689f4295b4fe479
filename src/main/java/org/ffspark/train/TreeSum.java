package org.ffspark.train;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

import org.ffspark.ff.FloatArrays;

/**
 * A sum of one float vector per partition whose floating-point result does not depend on the order in which
 * Spark merges partial results: additions follow a fixed binary tree over leaf positions (then pairs (2k, 2k+1) at
 * each level), and a partial result keeps its unmerged subtrees until their sibling arrives. So
 * {@code treeAggregate} with this combiner gives bit-identical sums on every run and after task retries.
 *
 * <p>Partition p sits at position p ({@link #TreeSum(int)}), or, with {@link #forTreeAggregate}, at a position
 * chosen so that the partitions Spark's {@code treeAggregate} combines in one intermediate task (those with equal
 * {@code p % m}) form one aligned subtree: such a task then sums its group down to one vector instead of passing
 * every member on, and what reaches the next level (and the driver) does not grow with the partition count.
 * Subtrees without partitions are skipped. At most O(log positions) vectors are held by one partial result.
 */
public final class TreeSum implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int leaves;
    /** Position of partition p in the tree. */
    private final int[] position;
    /** Number of tree positions (at least {@code leaves}; positions without a partition are empty). */
    private final int size;
    /** occupied[i]: partitions at positions below i (prefix counts), to tell an empty subtree. */
    private final int[] below;
    /** Written by {@link #writeObject} in bulk ({@link FloatArrays}), not by default serialisation. */
    private transient Map<Long, float[]> nodes = new HashMap<>();

    /** Partition p at position p. */
    public TreeSum(int leaves) {
        this(leaves, identity(leaves), leaves);
    }

    private TreeSum(int leaves, int[] position, int size) {
        this.leaves = leaves;
        this.position = position;
        this.size = size;
        this.below = new int[size + 1];
        int[] at = new int[size];
        for (int q : position) {
            at[q]++;
        }
        for (int i = 0; i < size; i++) {
            below[i + 1] = below[i] + at[i];
        }
    }

    /**
     * A tree matched to {@code JavaRDD.treeAggregate(..., depth)} over {@code partitions} partitions: when Spark adds
     * one intermediate level of m tasks (partition p going to task p % m), each task's group is an aligned subtree
     * of 2^k positions. With no intermediate level, or more than one, positions are the partition indices.
     */
    public static TreeSum forTreeAggregate(int partitions, int depth) {
        int m = intermediateTasks(partitions, depth);
        if (m <= 0) {
            return new TreeSum(partitions);
        }
        int group = (partitions + m - 1) / m;
        int g = Integer.highestOneBit(Math.max(1, group - 1)) << (group > 1 ? 1 : 0);
        int[] position = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            position[p] = (p % m) * g + p / m;
        }
        return new TreeSum(partitions, position, m * g);
    }

    /**
     * The number of intermediate tasks Spark's {@code treeAggregate} (Spark 3.5) uses for {@code n} partitions and
     * {@code depth}: 0 when it adds no level, -1 when it adds more than one.
     */
    static int intermediateTasks(int n, int depth) {
        int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth)), 2);
        int num = n;
        int levels = 0;
        while (num > scale + (int) Math.ceil((double) num / scale)) {
            num /= scale;
            levels++;
        }
        return levels == 0 ? 0 : levels == 1 ? num : -1;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /** Adds partition {@code index}'s vector (taken over, not copied). */
    public TreeSum addLeaf(int index, float[] v) {
        if (index < 0 || index >= leaves) {
            throw new IllegalArgumentException("leaf " + index + " of " + leaves);
        }
        put(0, position[index], v);
        collapse();
        return this;
    }

    public TreeSum mergeInPlace(TreeSum o) {
        if (o.leaves != leaves || !java.util.Arrays.equals(o.position, position)) {
            throw new IllegalArgumentException("tree sums over " + leaves + " and " + o.leaves + " leaves");
        }
        for (Map.Entry<Long, float[]> e : o.nodes.entrySet()) {
            long k = e.getKey();
            put((int) (k >>> 32), (int) k, e.getValue());
        }
        collapse();
        return this;
    }

    /** The total once every leaf was added. */
    public float[] total() {
        int level = 0;
        while ((1L << level) < size) {
            level++;
        }
        float[] t = nodes.get(key(level, 0));
        if (t == null || nodes.size() != 1) {
            throw new IllegalStateException("tree sum incomplete: " + nodes.size() + " partial nodes over " + leaves + " leaves");
        }
        return t;
    }

    /** Partial vectors held now (1 once a group or the whole tree is summed). */
    public int partialVectors() {
        return nodes.size();
    }

    /** Whether any partition sits below tree node (level, index). */
    private boolean occupied(int level, long index) {
        long from = Math.min(size, index << level);
        long to = Math.min(size, (index + 1) << level);
        return below[(int) to] - below[(int) from] > 0;
    }

    private void put(int level, int index, float[] v) {
        if (nodes.put(key(level, index), v) != null) {
            throw new IllegalStateException("node " + level + "/" + index + " added twice");
        }
    }

    private void collapse() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (long k : nodes.keySet().toArray(new Long[0])) {
                if (!nodes.containsKey(k)) {
                    continue;
                }
                int level = (int) (k >>> 32);
                int index = (int) k;
                if ((1L << level) >= size) {
                    continue; // the root
                }
                int sibling = index ^ 1;
                if (!occupied(level, sibling)) {
                    // No sibling subtree exists: promote unchanged.
                    float[] v = nodes.remove(k);
                    put(level + 1, index >> 1, v);
                    changed = true;
                } else if (nodes.containsKey(key(level, sibling))) {
                    int lo = Math.min(index, sibling);
                    float[] a = nodes.remove(key(level, lo));
                    float[] b = nodes.remove(key(level, lo + 1));
                    for (int i = 0; i < a.length; i++) {
                        a[i] += b[i];
                    }
                    put(level + 1, lo >> 1, a);
                    changed = true;
                }
            }
        }
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        out.defaultWriteObject();
        out.writeInt(nodes.size());
        for (Map.Entry<Long, float[]> e : nodes.entrySet()) {
            out.writeLong(e.getKey());
            FloatArrays.write(out, e.getValue());
        }
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        int n = in.readInt();
        nodes = new HashMap<>();
        for (int i = 0; i < n; i++) {
            nodes.put(in.readLong(), FloatArrays.read(in));
        }
    }

    private static long key(int level, int index) {
        return ((long) level << 32) | (index & 0xffffffffL);
    }
}

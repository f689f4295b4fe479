package org.ffspark.train;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

import org.ffspark.ff.FloatArrays;

/**
 * A sum of one float vector per partition whose floating-point result does not depend on the order in which
 * Spark merges partial results: additions follow a fixed binary tree over partition indices (leaf p, then pairs
 * (2k, 2k+1) at each level), and a partial result keeps its unmerged subtrees until their sibling arrives. So
 * {@code treeAggregate} with this combiner gives bit-identical sums on every run and after task retries.
 * At most O(log partitions) vectors are held by one partial result.
 */
public final class TreeSum implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int leaves;
    /** Written by {@link #writeObject} in bulk ({@link FloatArrays}), not by default serialisation. */
    private transient Map<Long, float[]> nodes = new HashMap<>();

    public TreeSum(int leaves) {
        this.leaves = leaves;
    }

    /** Adds partition {@code index}'s vector (taken over, not copied). */
    public TreeSum addLeaf(int index, float[] v) {
        if (index < 0 || index >= leaves) {
            throw new IllegalArgumentException("leaf " + index + " of " + leaves);
        }
        put(0, index, v);
        collapse();
        return this;
    }

    public TreeSum mergeInPlace(TreeSum o) {
        if (o.leaves != leaves) {
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
        while ((1L << level) < leaves) {
            level++;
        }
        float[] t = nodes.get(key(level, 0));
        if (t == null || nodes.size() != 1) {
            throw new IllegalStateException("tree sum incomplete: " + nodes.size() + " partial nodes over " + leaves + " leaves");
        }
        return t;
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
                if ((1L << level) >= leaves) {
                    continue; // the root
                }
                int sibling = index ^ 1;
                long siblingFirstLeaf = (long) sibling << level;
                if (siblingFirstLeaf >= leaves) {
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

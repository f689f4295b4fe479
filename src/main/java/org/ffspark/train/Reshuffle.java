package org.ffspark.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.Rng;
import scala.Tuple2;

/**
 * Examples dealt out to the shards again ({@code dist.reshuffle-epochs}): example i of the run's first shard p has
 * the global index {@code offset(p) + i}; a permutation of the global indices drawn from (seed, deal) gives each
 * example a new position, and shard q takes positions {@code [offset(q), offset(q) + size(q))} in order. Shard sizes
 * stay those of the first shards, so every epoch has the same rounds, and the deal is a pure function of the first
 * shards and (seed, deal): Spark retries and resumes rebuild it bit for bit. Each shard sends one block per target
 * shard through one shuffle; no per-example objects.
 */
final class Reshuffle {
    private Reshuffle() {}

    /** The first shards dealt out again for deal number {@code deal} (>= 1), cached and computed. */
    static JavaRDD<LabeledImages> deal(JavaRDD<LabeledImages> first, int[] sizes, long seed, int deal) {
        int n = sizes.length;
        long[] offset = new long[n + 1];
        for (int p = 0; p < n; p++) {
            offset[p + 1] = offset[p] + sizes[p];
        }
        JavaRDD<LabeledImages> dealt = first.mapPartitionsWithIndex((Integer p, Iterator<LabeledImages> it) -> {
            LabeledImages shard = it.next();
            int[] position = permutation((int) offset[n], seed, deal);
            // Per target shard: the positions, pixels and labels of the examples it receives from this shard.
            List<List<Integer>> at = new ArrayList<>();
            for (int q = 0; q < n; q++) {
                at.add(new ArrayList<>());
            }
            for (int i = 0; i < shard.count(); i++) {
                int pos = position[(int) offset[p] + i];
                at.get(target(offset, pos)).add(i);
            }
            List<Tuple2<Integer, Block>> out = new ArrayList<>();
            for (int q = 0; q < n; q++) {
                List<Integer> idx = at.get(q);
                int[] pos = new int[idx.size()];
                byte[] px = new byte[idx.size() * LabeledImages.PIXELS];
                byte[] lb = new byte[idx.size()];
                for (int k = 0; k < idx.size(); k++) {
                    int i = idx.get(k);
                    pos[k] = position[(int) offset[p] + i];
                    System.arraycopy(shard.pixels(), i * LabeledImages.PIXELS, px, k * LabeledImages.PIXELS, LabeledImages.PIXELS);
                    lb[k] = shard.labels()[i];
                }
                out.add(new Tuple2<>(q, new Block(pos, px, lb)));
            }
            return out.iterator();
        }, true).mapToPair(t -> t).partitionBy(new HashPartitioner(n)).mapPartitionsWithIndex((Integer q, Iterator<Tuple2<Integer, Block>> it) -> {
            int size = sizes[q];
            byte[] px = new byte[size * LabeledImages.PIXELS];
            byte[] lb = new byte[size];
            while (it.hasNext()) {
                Block b = it.next()._2();
                for (int k = 0; k < b.positions.length; k++) {
                    int at = (int) (b.positions[k] - offset[q]);
                    System.arraycopy(b.pixels, k * LabeledImages.PIXELS, px, at * LabeledImages.PIXELS, LabeledImages.PIXELS);
                    lb[at] = b.labels[k];
                }
            }
            return List.of(new LabeledImages("shard " + q + " of deal " + deal, px, lb)).iterator();
        }, true);
        JavaRDD<LabeledImages> c = dealt.persist(StorageLevel.MEMORY_ONLY());
        c.count();
        return c;
    }

    /** The new position of every global index: a Fisher-Yates permutation from (seed, deal). */
    static int[] permutation(int total, long seed, int deal) {
        int[] pos = new int[total];
        for (int i = 0; i < total; i++) {
            pos[i] = i;
        }
        Rng rng = new Rng(Rng.mix(seed, 11, deal));
        for (int i = total - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = pos[i];
            pos[i] = pos[j];
            pos[j] = t;
        }
        return pos;
    }

    /** The shard whose positions include {@code pos}. */
    private static int target(long[] offset, int pos) {
        int q = Arrays.binarySearch(offset, pos);
        if (q < 0) {
            return -q - 2;
        }
        while (q + 1 < offset.length - 1 && offset[q + 1] == pos) {
            q++;  // empty shards share an offset with the next one
        }
        return q;
    }

    /** The examples one shard sends to another: their new positions, pixels and labels. */
    record Block(int[] positions, byte[] pixels, byte[] labels) implements java.io.Serializable {}
}

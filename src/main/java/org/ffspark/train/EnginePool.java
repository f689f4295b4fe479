package org.ffspark.train;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

import org.ffspark.config.FfConfig;
import org.ffspark.config.TrainConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.ShardTrainer;
import org.ffspark.ff.TrainState;

/**
 * Buffer reuse across averaging rounds inside one JVM (an executor, or the driver in local mode): a partition's
 * task takes the {@link ShardTrainer} it used in the previous round (its native GEMM buffers, optimizer arrays
 * and the epoch's shuffle order) instead of allocating 10-300 MB afresh, and puts it back when done. Every round
 * loads the parameters from the broadcast into the engine, and the shuffle order is a pure function of (seed,
 * phase, epoch, shard), so a round computes the same bits with a reused engine, a fresh one, or after a retry on
 * another executor. The optimizer state is loaded from its broadcast too, except for a partition's own
 * (per-worker) state when the pooled engine completed exactly the previous round: it then holds the bits the
 * driver has for that partition, and the executor skips fetching two thirds of the round's broadcast data.
 * What reuse saves: docs/performance.md.
 *
 * <p>An engine is reused only for the same run (a random id per {@link SparkFfTrainer}), partition and shard
 * object (a cached partition that was evicted and recomputed is a new object). Taking removes the engine from the
 * pool, so two attempts of one partition never share it. A JVM keeps at most {@link #MAX_IDLE} idle engines, only
 * of the run that released one last, and only while their heap (16 bytes per parameter: 217 MB for 784-2000x4,
 * 10 MB for 784-500-500) stays within an eighth of the JVM's maximum heap, so the pool never holds more than that
 * beyond what a round needs anyway (a 784-2000x4 executor with a 2.5 GB heap keeps one engine; with 1 GB, none).
 * Older engines are closed (their native memory freed).
 */
final class EnginePool {
    /** Idle engines kept per JVM at most: enough for a few partitions per executor; more are closed. */
    static final int MAX_IDLE = 4;

    private static final class Entry {
        final String run;
        final int partition;
        final LabeledImages shard;
        final FfModel model;
        final ShardTrainer engine;
        /** The round this engine last completed for its partition (-1: none). */
        int round = -1;

        Entry(String run, int partition, LabeledImages shard, FfModel model, ShardTrainer engine) {
            this.run = run;
            this.partition = partition;
            this.shard = shard;
            this.model = model;
            this.engine = engine;
        }
    }

    private static final Deque<Entry> IDLE = new ArrayDeque<>();
    /** Takes that kept the engine's own optimizer state instead of loading it (a count, for tests). */
    private static final java.util.concurrent.atomic.AtomicLong STATES_KEPT = new java.util.concurrent.atomic.AtomicLong();

    private EnginePool() {}

    /**
     * An engine for this run's partition over {@code shard}, loaded with {@code params} and the optimizer state
     * that {@code optimizerState} supplies (block {@code worker}). With {@code ownStateRound >= 0} the state is the
     * partition's own, as it stood after round {@code ownStateRound} (per-worker optimizer state): a pooled engine
     * that completed exactly that round already holds those bits, so the supplier is not called (its broadcast is
     * not fetched). That holds even after retries, since every attempt of a round computes the same bits.
     */
    static Lease take(String run, int partition, LabeledImages shard, FfConfig ff, TrainConfig train,
                      float[] params, java.util.function.Supplier<TrainState> optimizerState, int worker,
                      int ownStateRound) {
        Entry found = null;
        synchronized (IDLE) {
            for (Iterator<Entry> it = IDLE.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                if (e.run.equals(run) && e.partition == partition && e.shard == shard) {
                    it.remove();
                    found = e;
                    break;
                }
            }
        }
        if (found == null) {
            return create(run, partition, shard, ff, train, params, optimizerState, worker);
        }
        System.arraycopy(params, 0, found.model.params(), 0, params.length);
        found.engine.trainer().parametersChanged();
        if (ownStateRound >= 0 && found.round == ownStateRound) {
            STATES_KEPT.incrementAndGet();
        } else {
            found.engine.trainer().optimizer().loadState(optimizerState.get(), worker);
        }
        return new Lease(found);
    }

    /** Takes so far in this JVM that kept a pooled engine's own optimizer state. */
    static long statesKept() {
        return STATES_KEPT.get();
    }

    /** A fresh engine that is never pooled (for {@code spark.ffspark.reuseEngines=false}). */
    static Lease fresh(int partition, LabeledImages shard, FfConfig ff, TrainConfig train, float[] params,
                       java.util.function.Supplier<TrainState> optimizerState, int worker) {
        return create("", partition, shard, ff, train, params, optimizerState, worker);
    }

    private static Lease create(String run, int partition, LabeledImages shard, FfConfig ff, TrainConfig train,
                                float[] params, java.util.function.Supplier<TrainState> optimizerState, int worker) {
        FfModel model = new FfModel(ff, params.clone());
        Entry e = new Entry(run, partition, shard, model, new ShardTrainer(model, train, shard, partition, engineThreads()));
        e.engine.trainer().optimizer().loadState(optimizerState.get(), worker);
        return new Lease(e);
    }

    /**
     * Threads of a task's engine: 2 when the task holds two or more cores ({@code spark.task.cpus}), else 1. The
     * result is the same bits either way ({@link org.ffspark.ff.FfTrainer}).
     */
    static int engineThreads() {
        org.apache.spark.TaskContext tc = org.apache.spark.TaskContext.get();
        return tc != null && tc.cpus() >= 2 ? 2 : 1;
    }

    /** Closes every idle engine in this JVM (the driver calls it when a local-mode run ends). */
    static void clear() {
        synchronized (IDLE) {
            IDLE.forEach(e -> e.engine.close());
            IDLE.clear();
        }
    }

    /** Heap an idle engine holds: parameters, gradient and two optimizer buffers of the parameters' size. */
    static long heapBytes(Entry e) {
        return 4L * Float.BYTES * e.model.params().length;
    }

    private static long heapBytes(Deque<Entry> entries) {
        long sum = 0;
        for (Entry e : entries) {
            sum += heapBytes(e);
        }
        return sum;
    }

    /** Idle engines held in this JVM now. */
    static int idle() {
        synchronized (IDLE) {
            return IDLE.size();
        }
    }

    /** One task's use of an engine; {@link #release} returns it to the pool, {@link #discard} closes it. */
    static final class Lease {
        private final Entry entry;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        FfModel model() {
            return entry.model;
        }

        ShardTrainer engine() {
            return entry.engine;
        }

        /** Returns the engine to the pool as having completed round {@code round} of its partition. */
        void release(int round) {
            entry.round = round;
            java.util.List<Entry> evicted = new java.util.ArrayList<>();
            synchronized (IDLE) {
                // Engines of other runs (a finished warm-up, an earlier training in this application) go first.
                for (Iterator<Entry> it = IDLE.iterator(); it.hasNext(); ) {
                    Entry e = it.next();
                    if (!e.run.equals(entry.run)) {
                        it.remove();
                        evicted.add(e);
                    }
                }
                IDLE.addFirst(entry);
                long budget = Runtime.getRuntime().maxMemory() / 8;
                while (!IDLE.isEmpty() && (IDLE.size() > MAX_IDLE || heapBytes(IDLE) > budget)) {
                    evicted.add(IDLE.removeLast());
                }
            }
            evicted.forEach(e -> e.engine.close());
        }

        void discard() {
            entry.engine.close();
        }
    }
}

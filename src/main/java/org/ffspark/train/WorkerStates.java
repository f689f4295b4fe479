package org.ffspark.train;

import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.ffspark.ff.TrainState;

import scala.Tuple2;

/**
 * Per-worker optimizer states that stay with the workers ({@code dist.optimizer-state PER_WORKER}): an RDD with one
 * one-worker {@link TrainState} per partition, kept in the executors' block managers (on their local disks: the
 * pooled engines hold the live states in memory). Round r's tasks zip their
 * shard with the state round r-1 left, and leave theirs as the persisted second half of the round's output; the
 * driver receives only the summed parameters (and, when it asks for a checkpoint or the final state, the states
 * themselves: {@link #collect}).
 *
 * <p>A lost executor is recovered by Spark from the lineage: a missing state is recomputed by replaying the rounds
 * since the last truncation for that partition (every round computes the same bits, so the replay is exact), which
 * is why the parameter broadcasts of those rounds stay alive. Every {@link #LINEAGE_ROUNDS} rounds the lineage is
 * cut by checkpointing the states: written by the executors into a reliable directory when there is one (the
 * SparkContext's checkpoint directory, else the run directory's {@code worker-state}), or else held as Spark local
 * checkpoints (an executor lost then fails the job with Spark's "checkpoint block not found" error).
 */
final class WorkerStates {
    /** Rounds between two cuts of the lineage: at most this many rounds are replayed for a lost state. */
    static final int LINEAGE_ROUNDS = 10;

    private final JavaSparkContext jsc;
    private final boolean reliable;
    /** The states after the last round. */
    private JavaRDD<TrainState> states;
    /** The last round's persisted output (its task results and states), unpersisted once a later round read it. */
    private JavaRDD<Tuple2<RoundResult, TrainState>> lastOutput;
    /** The cut RDD the lineage starts from. */
    private JavaRDD<TrainState> cut;
    /** Broadcasts that the rounds since the cut read: a replay needs them. */
    private final List<Broadcast<?>> replayBroadcasts = new ArrayList<>();
    private int sinceCut;

    /**
     * Ships the per-worker blocks of {@code start} to the executors once (the only time they travel from the driver)
     * and cuts the lineage there. {@code stateDir}: a reliable directory for the cuts when the context has no
     * checkpoint directory (null: local checkpoints).
     */
    WorkerStates(JavaSparkContext jsc, TrainState start, int partitions, String stateDir) {
        this.jsc = jsc;
        if (!jsc.getCheckpointDir().isPresent() && stateDir != null) {
            jsc.setCheckpointDir(stateDir);
        }
        this.reliable = jsc.getCheckpointDir().isPresent();
        List<TrainState> blocks = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            blocks.add(start.worker(p));
        }
        cutAt(jsc.parallelize(blocks, partitions));
    }

    /** The states after the last round, partition p's in partition p. */
    JavaRDD<TrainState> states() {
        return states;
    }

    /**
     * Records a finished round: {@code output} (already computed by the round's job) holds each partition's task
     * result and new state; {@code read} the broadcast its tasks read.
     */
    void roundDone(JavaRDD<Tuple2<RoundResult, TrainState>> output, Broadcast<?> read) {
        replayBroadcasts.add(read);
        JavaRDD<Tuple2<RoundResult, TrainState>> previous = lastOutput;
        lastOutput = output;
        states = output.map(Tuple2::_2);
        if (++sinceCut >= LINEAGE_ROUNDS) {
            cutAt(states);
        }
        if (previous != null) {
            previous.unpersist(false);
        }
    }

    /**
     * The states after the last round, in partition order (what a checkpoint or the final state needs), fetched one
     * partition per job: each job's result is one state, so spark.driver.maxResultSize bounds a state, not N of them
     * (784-2000x4 with Adam: 108 MB each; 16 at once exceeded the default 1 GB).
     */
    List<TrainState> collect() {
        List<TrainState> out = new ArrayList<>();
        states.toLocalIterator().forEachRemaining(out::add);
        return out;
    }

    /** Drops the states, their broadcasts and cut files (the run is over). */
    void close() {
        if (lastOutput != null) {
            lastOutput.unpersist(false);
        }
        dropCut();
        replayBroadcasts.forEach(b -> b.destroy(false));
        replayBroadcasts.clear();
    }

    private void cutAt(JavaRDD<TrainState> rdd) {
        rdd.persist(StorageLevel.DISK_ONLY());
        if (reliable) {
            rdd.checkpoint();
        } else {
            rdd.rdd().localCheckpoint();
        }
        rdd.count(); // computes it (from the cached round output) and writes the checkpoint
        dropCut();
        replayBroadcasts.forEach(b -> b.destroy(false));
        replayBroadcasts.clear();
        if (lastOutput != null) {
            lastOutput.unpersist(false);
            lastOutput = null;
        }
        cut = rdd;
        states = rdd;
        sinceCut = 0;
    }

    private void dropCut() {
        if (cut == null) {
            return;
        }
        cut.unpersist(false);
        if (reliable && cut.getCheckpointFile().isPresent()) {
            Path file = new Path(cut.getCheckpointFile().get());
            try {
                FileSystem fs = file.getFileSystem(jsc.hadoopConfiguration());
                fs.delete(file, true);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot delete the worker-state checkpoint " + file, e);
            }
        }
        cut = null;
    }
}

package org.ffspark.train;

import java.util.Iterator;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ffspark.config.DistConfig;
import org.ffspark.config.FfConfig;
import org.ffspark.config.OptimizerState;
import org.ffspark.config.TrainConfig;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.Gemm;
import org.ffspark.ff.LayerStats;
import org.ffspark.ff.ShardTrainer;
import org.ffspark.ff.TrainState;

/**
 * FF training with periodic parameter averaging. A round: broadcast the {@link TrainState}; every partition loads
 * it, runs {@code dist.averaging-period} (resolved to minibatches) minibatches of layer-local FF updates on its shard
 * ({@link ShardTrainer}, the same code as the single-JVM trainer), and returns its parameters and optimizer
 * state; {@code treeAggregate} sums them with {@link TreeSum} (order-independent, hence deterministic); the
 * driver averages over the partitions that ran batches and starts the next round. The optimizer state is either
 * averaged with the parameters ({@link OptimizerState#AVERAGED}) or kept per worker ({@link OptimizerState#PER_WORKER}:
 * partition p always continues from its own state, which stays in the executors ({@link WorkerStates}) and reaches
 * the driver only for checkpoints and the final state; only the parameters are averaged). Rounds never span epochs: epoch
 * e has {@code ceil(maxShardBatches / period)} rounds and in its j-th round shard p runs its batches
 * {@code [j·period, (j+1)·period)}.
 */
public final class SparkFfTrainer {
    /**
     * Executor JVM flags ffspark adds (as {@code spark.executor.defaultJavaOptions}, when that is unset; a user's
     * {@code spark.executor.extraJavaOptions} come after them and win). Every round an executor deserialises the
     * broadcast state and serialises its result, arrays of 2.5-160 MB; with G1's default 1-4 MB regions each is a
     * "humongous" allocation that starts a concurrent marking cycle, and the pauses and marking threads of one
     * executor slow the tasks of its neighbours on the same machine. With 32 MB regions arrays up to 16 MB are
     * ordinary young objects (docs/performance.md).
     */
    public static final String EXECUTOR_GC_OPTIONS = "-XX:G1HeapRegionSize=32m";

    /**
     * Spark settings the trainer wants unless the user set them: task results up to 128 MB (Spark caps it at
     * spark.rpc.message.maxSize) travel inline with the task status instead of through the block manager;
     * broadcasts are not compressed (float weights barely compress) and travel in 16 MB pieces (fewer block-manager
     * round trips). The measurements behind each: docs/performance.md. Executor JVM flags: {@link #EXECUTOR_GC_OPTIONS}.
     */
    public static final java.util.Map<String, String> SPARK_DEFAULTS = java.util.Map.of(
            "spark.task.maxDirectResultSize", "128m", "spark.broadcast.compress", "false", "spark.broadcast.blockSize", "16m",
            "spark.executor.defaultJavaOptions", EXECUTOR_GC_OPTIONS);

    /**
     * Spark setting (or local property of the thread that builds the trainer): whether executors keep each
     * partition's engine buffers between rounds ({@link EnginePool}; default true). Results are the same bits
     * either way; false allocates a fresh engine every round.
     */
    public static final String REUSE_ENGINES = "spark.ffspark.reuseEngines";
    /** Job group of round r's jobs: this prefix and r (0-based); listeners and the Spark UI tell rounds apart by it. */
    public static final String ROUND_GROUP = "ffspark-train-round-";
    /** The depth of the round's {@code treeAggregate} ({@link TreeSum#forTreeAggregate} matches its grouping). */
    public static final int AGGREGATION_DEPTH = 2;
    /** A test seam: a thread-local Spark property naming the round whose update ends with a NaN ({@link #nanAfterRound}). */
    public static final String NAN_AFTER_ROUND = "ffspark.test.nanAfterRound";

    /** Sets {@link #SPARK_DEFAULTS} on {@code conf} where it has no value. */
    public static org.apache.spark.SparkConf withDefaults(org.apache.spark.SparkConf conf) {
        SPARK_DEFAULTS.forEach(conf::setIfMissing);
        return conf;
    }

    /** Where a round sits in the schedule. */
    public record RoundPosition(int round, int phase, int epoch, int indexInEpoch) implements java.io.Serializable {}

    /** One finished round. Times in seconds; compute is the slowest partition's. */
    public record RoundReport(RoundPosition position, int rounds, LayerStats stats, long examples, double seconds,
                              double computeSeconds, double broadcastSeconds, double aggregateSeconds, double etaSeconds) {}

    /** Receives each finished round with the state after it (for metrics and checkpoints). */
    @FunctionalInterface
    public interface RoundListener {
        void roundDone(RoundReport report, TrainState state);
    }

    private final JavaSparkContext jsc;
    private final FfConfig ff;
    private final TrainConfig train;
    private final DistConfig options;
    /** A package-private seam for the fault-tolerance tests: the round whose first task attempt fails (-1: none). */
    private int failFirstAttemptOfRound = -1;
    /** A package-private seam for the divergence tests: the round whose updates end with a NaN (-1: none). */
    private int nanAfterRound = -1;
    private final int partitions;
    private final int roundsPerEpoch;
    /** Minibatches per partition and round ({@code dist.averaging-period} resolved for this run's shards). */
    private final int periodBatches;
    private final int phases;
    private final JavaRDD<LabeledImages> shards;
    /** The shards rounds run on: the first ones, or their latest deal ({@link Reshuffle}). */
    private JavaRDD<LabeledImages> current;
    private int currentDeal;
    private final int[] sizes;
    /** Identifies this trainer's engines in the executors' {@link EnginePool}s (a cache key, never a result input). */
    private final String runId = java.util.UUID.randomUUID().toString();
    private final boolean reuseEngines;
    /** Rounds whose listener call gets the whole state (per-worker states collected); the last round always does. */
    private java.util.function.IntPredicate fullStateAt = r -> false;
    /** A reliable directory for cutting the per-worker states' lineage ({@link WorkerStates}); null: none given. */
    private String workerStateDir;

    public SparkFfTrainer(JavaSparkContext jsc, JavaRDD<LabeledImages> shards, FfConfig ff, TrainConfig train, DistConfig options) {
        this.jsc = jsc;
        this.shards = shards;
        this.current = shards;
        this.ff = ff;
        this.options = options;
        this.partitions = shards.getNumPartitions();
        // With dist.split-batch the configured minibatch is shared by the partitions.
        this.train = train.withBatchSize(options.partitionBatch(train.batchSize(), partitions));
        String nan = jsc.getLocalProperty(NAN_AFTER_ROUND);
        this.nanAfterRound = nan == null ? -1 : Integer.parseInt(nan);
        String reuse = jsc.getLocalProperty(REUSE_ENGINES);
        this.reuseEngines = reuse != null ? Boolean.parseBoolean(reuse) : jsc.getConf().getBoolean(REUSE_ENGINES, true);
        int batch = this.train.batchSize();
        List<Integer> shardSizes = shards.map(LabeledImages::count).collect();
        this.sizes = shardSizes.stream().mapToInt(Integer::intValue).toArray();
        int maxBatches = 0;
        for (int s : shardSizes) {
            maxBatches = Math.max(maxBatches, ShardTrainer.batchesPerEpoch(s, batch));
        }
        if (maxBatches == 0) {
            throw new org.ffspark.data.InputDataException("training data", "no training examples");
        }
        this.periodBatches = options.averagingPeriod().batches(batch, maxBatches);
        this.roundsPerEpoch = (maxBatches + periodBatches - 1) / periodBatches;
        this.phases = ShardTrainer.phases(train, ff.hiddenLayers());
    }

    /**
     * With {@code dist.reshuffle-epochs} k > 0, switches to deal number (epoch / k) of the shards before the first
     * round of an epoch that starts a deal (epochs counted over all phases).
     */
    private void useDealOf(RoundPosition pos) {
        int k = options.reshuffleEpochs();
        int deal = k == 0 ? 0 : (pos.phase() * train.epochs() + pos.epoch()) / k;
        if (deal == currentDeal) {
            return;
        }
        JavaRDD<LabeledImages> next = deal == 0 ? shards : Reshuffle.deal(shards, sizes, train.seed(), deal);
        if (current != shards) {
            current.unpersist(false);
        }
        current = next;
        currentDeal = deal;
    }

    /** The state a new run starts from: {@code init}'s parameters and a fresh optimizer state (one per worker if kept per worker). */
    public TrainState initialState(FfModel init) {
        TrainState s;
        try (org.ffspark.ff.FfTrainer t = new org.ffspark.ff.FfTrainer(init, train, 1, 1)) {
            s = TrainState.initial(init, t.optimizer());
        }
        return optimizerStates() > 1 ? s.perWorker(optimizerStates()) : s;
    }

    public int totalRounds() {
        return phases * train.epochs() * roundsPerEpoch;
    }

    public int partitions() {
        return partitions;
    }

    /** Whether rounds end with a block-momentum step: configured, and 2 or more partitions to average. */
    boolean blockMomentumOn() {
        return options.blockMomentumOn() && partitions > 1;
    }

    /** Minibatches each partition trains per round. */
    public int averagingPeriodBatches() {
        return periodBatches;
    }

    /** Makes the first attempt of {@code round}'s partition-0 task fail (the fault-tolerance tests' seam). */
    SparkFfTrainer failFirstAttemptOfRound(int round) {
        this.failFirstAttemptOfRound = round;
        return this;
    }

    /** Makes every partition that trained in {@code round} return a NaN parameter after its last step (the divergence tests' seam). */
    SparkFfTrainer nanAfterRound(int round) {
        this.nanAfterRound = round;
        return this;
    }

    /**
     * Rounds at which the listener needs the whole state: with per-worker optimizer state the listener otherwise
     * receives the parameters and step counts only (the workers' moments stay with the workers).
     */
    public SparkFfTrainer fullStateAt(java.util.function.IntPredicate rounds) {
        this.fullStateAt = rounds;
        return this;
    }

    /** Where per-worker states are checkpointed to cut their lineage, unless the SparkContext has a checkpoint directory. */
    public SparkFfTrainer workerStateDir(String dir) {
        this.workerStateDir = dir;
        return this;
    }

    public RoundPosition position(int round) {
        int perPhase = train.epochs() * roundsPerEpoch;
        return new RoundPosition(round, round / perPhase, (round % perPhase) / roundsPerEpoch, round % roundsPerEpoch);
    }

    /** Number of optimizer states a {@link TrainState} of this run holds: 1, or one per partition. */
    public int optimizerStates() {
        return options.optimizerState() == OptimizerState.PER_WORKER ? partitions : 1;
    }

    /**
     * Runs rounds {@code firstRound..totalRounds()-1} from {@code state}, which holds {@link #optimizerStates()}
     * optimizer states; returns the final state.
     */
    public TrainState run(TrainState state, int firstRound, RoundListener listener) {
        if (state.workers() != optimizerStates()) {
            throw new IllegalArgumentException("a state with " + state.workers() + " optimizer states for a run with "
                    + optimizerStates() + " (" + options.optimizerState() + ", " + partitions + " partitions)");
        }
        if (blockMomentumOn() && state.blockVelocity().length == 0) {
            state = state.withZeroVelocity();
        } else if (!blockMomentumOn() && state.blockVelocity().length != 0) {
            state = state.forWorkers();
        }
        long started = System.nanoTime();
        int total = totalRounds();
        boolean perWorker = options.optimizerState() == OptimizerState.PER_WORKER;
        // Per-worker moments go to the executors once and stay there; the driver keeps parameters and step counts.
        WorkerStates workers = perWorker && firstRound < total ? new WorkerStates(jsc, state, partitions, workerStateDir) : null;
        if (workers != null) {
            state = state.withoutMoments();
        }
        try {
            for (int r = firstRound; r < total; r++) {
                RoundPosition pos = position(r);
                jsc.setJobGroup(ROUND_GROUP + r, String.format("FF train: phase %d epoch %d/%d round %d/%d (%d in epoch)",
                        pos.phase(), pos.epoch() + 1, train.epochs(), r + 1, total, pos.indexInEpoch() + 1), false);
                long t0 = System.nanoTime();
                TrainState before = state;
                Broadcast<TrainState> bc = jsc.broadcast(perWorker ? state.parametersOnly() : state.forWorkers());
                long t1 = System.nanoTime();
                useDealOf(pos);
                RoundResult result = round(bc, workers, pos);
                long t2 = System.nanoTime();
                state = average(result, state, perWorker);
                if (blockMomentumOn()) {
                    state = blockStep(before, state, options.blockMomentum(), options.blockLearningRate());
                }
                if (workers == null) {
                    bc.destroy(false);
                } // else: a replay of this round for a lost state reads it (WorkerStates)
                long t3 = System.nanoTime();
                LayerStats stats = new LayerStats(ff.hiddenLayers());
                long examples = 0;
                double compute = 0;
                double fetch = 0;
                for (int p = 0; p < partitions; p++) {
                    stats.mergeInPlace(result.stats[p]);
                    compute = Math.max(compute, result.computeSeconds[p]);
                    fetch = Math.max(fetch, result.fetchSeconds[p]);
                }
                for (int l = 0; l < stats.layers(); l++) {
                    examples = Math.max(examples, stats.examples(l));
                }
                // Stop before a diverged state reaches a checkpoint or the model: the forward statistics, then the
                // state itself (an update after the round's last forward pass may have gone non-finite), then the
                // moments the workers kept.
                stats.requireFinite("round " + (r + 1));
                state.requireFinite("round " + (r + 1));
                result.requireFiniteOwn("round " + (r + 1));
                double secs = (t3 - t0) / 1e9;
                double elapsed = (t3 - started) / 1e9;
                double eta = elapsed / (r + 1 - firstRound) * (total - r - 1);
                // broadcast = the driver's writing plus the slowest executor fetch; aggregate = the rest of the round
                // (scheduling, result transfer, tree sum, averaging, and waiting for the slowest task).
                double broadcast = (t1 - t0) / 1e9 + fetch;
                boolean last = r == total - 1;
                if (workers != null && last) {
                    state = state.withMoments(collect(workers, r));
                }
                TrainState seen = workers != null && !last && fullStateAt.test(r) ? state.withMoments(collect(workers, r)) : state;
                listener.roundDone(new RoundReport(pos, total, stats, examples, secs, compute, broadcast,
                        Math.max(0, secs - compute - broadcast), eta), seen);
            }
            return state;
        } finally {
            jsc.clearJobGroup();
            if (workers != null) {
                workers.close();
            }
            if (current != shards) {
                current.unpersist(false);
                current = shards;
                currentDeal = 0;
            }
            // In local mode the tasks ran in this JVM: free their engines now (also after a failure), not at exit.
            EnginePool.clear();
        }
    }

    /** The workers' states after round {@code r}, fetched in a job of their own (for a checkpoint or the final state). */
    private List<TrainState> collect(WorkerStates workers, int r) {
        jsc.setJobGroup("ffspark-train-state-" + r, "FF train: the workers' optimizer states after round " + (r + 1), false);
        return workers.collect();
    }

    private RoundResult round(Broadcast<TrainState> bc, WorkerStates workers, RoundPosition pos) {
        final FfConfig ffc = ff;
        final TrainConfig tc = train;
        final int period = periodBatches;
        final int n = partitions;
        final int failRound = failFirstAttemptOfRound;
        final int nanRound = nanAfterRound;
        final boolean perWorker = workers != null;
        final String run = runId;
        final boolean reuse = reuseEngines;
        if (!perWorker) {
            JavaRDD<RoundResult> results = current.mapPartitionsWithIndex((Integer p, Iterator<LabeledImages> it) -> {
                Step step = partitionRound(it.next(), null, p, pos, bc, ffc, tc, period, n, failRound, nanRound, run, reuse);
                return List.of(step.result).iterator();
            }, true);
            return aggregate(results);
        }
        // Each task zips its shard with its own state from the last round and leaves its new state in the output.
        JavaRDD<scala.Tuple2<RoundResult, TrainState>> output = current.zipPartitions(workers.states(),
                (Iterator<LabeledImages> it, Iterator<TrainState> own) -> {
                    int p = TaskContext.getPartitionId();
                    Step step = partitionRound(it.next(), own, p, pos, bc, ffc, tc, period, n, failRound, nanRound, run, reuse);
                    return List.of(new scala.Tuple2<>(step.result, step.own)).iterator();
                });
        // On the executors' disks, not their heaps: the pooled engine holds the live state, and this copy is read only
        // when a task runs without it (a retry elsewhere, an evicted engine, a replay).
        output.persist(org.apache.spark.storage.StorageLevel.DISK_ONLY());
        RoundResult result = aggregate(output.map(scala.Tuple2::_1));
        workers.roundDone(output, bc);
        return result;
    }

    /** Partitions are summed in executors: each intermediate task down to one vector (TreeSum's tree matches
     * Spark's grouping), then all of them in one executor, so the driver receives one vector whatever the
     * partition count. */
    private RoundResult aggregate(JavaRDD<RoundResult> results) {
        int n = partitions;
        return results.treeAggregate(new RoundResult(n), RoundResult::mergeInPlace, RoundResult::mergeInPlace, AGGREGATION_DEPTH, true);
    }

    /** What one partition's task leaves: its share of the round's result and, per worker, its new optimizer state. */
    private record Step(RoundResult result, TrainState own) {}

    /**
     * One partition's round: loads the broadcast parameters and its optimizer state (the broadcast's, or with
     * per-worker state {@code ownStates}'s single element, read only when the pooled engine does not hold it), runs
     * the round's batches, and returns its vector (and, per worker, a copy of its optimizer state).
     */
    private static Step partitionRound(LabeledImages shard, Iterator<TrainState> ownStates, int p, RoundPosition pos,
                                       Broadcast<TrainState> bc, FfConfig ffc, TrainConfig tc, int period, int n,
                                       int failRound, int nanRound, String run, boolean reuse) {
        TaskContext ctx = TaskContext.get();
        if (failRound == pos.round() && p == 0 && ctx != null && ctx.attemptNumber() == 0) {
            throw new IllegalStateException("injected failure of the first attempt of round " + failRound);
        }
        boolean perWorker = ownStates != null;
        long t0 = System.nanoTime();
        Gemm.init(1);
        // Fetching the broadcast (from the driver or a peer, then deserialising) is timed apart from training.
        TrainState s = bc.value();
        long tf = System.nanoTime();
        long[] ownFetch = {0};
        java.util.function.Supplier<TrainState> ownState = !perWorker ? () -> s : () -> {
            long a = System.nanoTime();
            TrainState own = ownStates.next();
            ownFetch[0] += System.nanoTime() - a;
            return own;
        };
        LayerStats stats = new LayerStats(ffc.hiddenLayers());
        int from = pos.indexInEpoch() * period;
        int ran;
        float[] vector;
        TrainState own = null;
        long[] steps;
        EnginePool.Lease lease = reuse ? EnginePool.take(run, p, shard, ffc, tc, s.params(), ownState, 0,
                perWorker ? pos.round() - 1 : -1) : EnginePool.fresh(p, shard, ffc, tc, s.params(), ownState, 0);
        boolean ok = false;
        try {
            FfModel model = lease.model();
            org.ffspark.ff.Optimizer opt = lease.engine().trainer().optimizer();
            ran = shard.count() == 0 ? 0 : lease.engine().run(pos.phase(), pos.epoch(), from, from + period, stats);
            steps = opt.steps().clone();
            // Copies of the live arrays (the engine is reused next round) in what the task leaves.
            if (perWorker) {
                vector = ran == 0 ? new float[s.params().length] : model.params().clone();
                own = new TrainState(new float[0], opt.firstMoment().clone(), opt.secondMoment().clone(), steps.clone(), 1);
            } else {
                vector = ran == 0 ? new float[vectorLength(s)] : concat(model.params(), opt.firstMoment(), opt.secondMoment());
            }
            ok = true;
        } finally {
            if (ok && reuse) {
                lease.release(pos.round());
            } else {
                lease.discard();
            }
        }
        if (nanRound == pos.round() && ran > 0) {
            vector[0] = Float.NaN;
        }
        double secs = (System.nanoTime() - tf - ownFetch[0]) / 1e9;
        String bad = own == null ? null : own.firstNonFinite();
        return new Step(new RoundResult(n).add(p, vector, bad, steps, ran, stats, (tf - t0 + ownFetch[0]) / 1e9, secs), own);
    }

    /**
     * The new state: parameters are the mean over partitions that ran batches. A shared optimizer state is averaged
     * the same way (step counts: the maximum); with per-worker states the driver keeps each partition's step counts
     * (unchanged for a partition that ran no batch) and the moments stay with the workers.
     */
    static TrainState average(RoundResult r, TrainState before, boolean perWorker) {
        int contributors = 0;
        int layers = before.stepsBlock();
        long[] steps = before.steps().clone();
        for (int p = 0; p < r.batches.length; p++) {
            if (r.batches[p] > 0) {
                contributors++;
                for (int l = 0; l < layers; l++) {
                    int at = perWorker ? p * layers + l : l;
                    steps[at] = perWorker ? r.steps[p][l] : Math.max(steps[at], r.steps[p][l]);
                }
            }
        }
        if (contributors == 0) {
            return before;
        }
        float[] sum = r.sum.total();
        if (contributors > 1) {
            float inv = 1f / contributors;
            for (int i = 0; i < sum.length; i++) {
                sum[i] *= inv;
            }
        }
        int np = before.params().length;
        float[] params = java.util.Arrays.copyOfRange(sum, 0, np);
        if (perWorker) {
            return new TrainState(params, before.firstMoment(), before.secondMoment(), steps, before.workers(), before.blockVelocity());
        }
        int nf = before.firstMomentBlock();
        int ns = before.secondMomentBlock();
        float[] first = java.util.Arrays.copyOfRange(sum, np, np + nf);
        float[] second = java.util.Arrays.copyOfRange(sum, np + nf, np + nf + ns);
        return new TrainState(params, first, second, steps, 1, before.blockVelocity());
    }

    /**
     * Block momentum: {@code averaged} holds the workers' mean parameters {@code a}; returns it with parameters
     * {@code θ + v'} and velocity {@code v' = μ·v + η·(a − θ)}, where {@code θ, v} are {@code before}'s. The
     * optimizer state is {@code averaged}'s. Float arithmetic in index order: deterministic.
     */
    static TrainState blockStep(TrainState before, TrainState averaged, float mu, float eta) {
        if (averaged == before) {
            return before; // no partition ran a batch
        }
        float[] theta = before.params();
        float[] v = before.blockVelocity();
        float[] a = averaged.params();
        float[] params = new float[theta.length];
        float[] velocity = new float[theta.length];
        for (int i = 0; i < theta.length; i++) {
            float vi = mu * v[i] + eta * (a[i] - theta[i]);
            velocity[i] = vi;
            params[i] = theta[i] + vi;
        }
        return new TrainState(params, averaged.firstMoment(), averaged.secondMoment(), averaged.steps(),
                averaged.workers(), velocity);
    }

    static int vectorLength(TrainState s) {
        return s.params().length + s.firstMoment().length + s.secondMoment().length;
    }

    static float[] concat(float[] params, float[] first, float[] second) {
        float[] v = new float[params.length + first.length + second.length];
        System.arraycopy(params, 0, v, 0, params.length);
        System.arraycopy(first, 0, v, params.length, first.length);
        System.arraycopy(second, 0, v, params.length + first.length, second.length);
        return v;
    }
}

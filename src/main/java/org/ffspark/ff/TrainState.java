package org.ffspark.ff;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Everything a training run carries from one step (or averaging round) to the next: the flat parameters and the
 * optimizer state (moments in parameter layout, step counts per layer). What Spark broadcasts, averages and
 * checkpoints. Arrays are owned by the state; treat a shared (broadcast) state as read-only.
 *
 * <p>{@code workers} is the number of optimizer states held: 1 when the state is shared (single JVM, or averaged
 * across Spark workers), or one per worker when every worker keeps its own. The moments then hold
 * {@code workers} consecutive blocks of the parameter length, and {@code steps} {@code workers} blocks of the
 * layer count; block {@code w} belongs to worker (partition) {@code w}.
 *
 * <p>{@code blockVelocity} is the driver's block momentum (BMUF) in parameter layout, or empty when averaging
 * without it. Only the driver and checkpoints use it; workers never read it ({@link #forWorkers()}).
 */
public record TrainState(float[] params, float[] firstMoment, float[] secondMoment, long[] steps, int workers,
                         float[] blockVelocity) implements Serializable {

    private static final float[] NONE = new float[0];

    public TrainState {
        if (workers < 1 || firstMoment.length % workers != 0 || secondMoment.length % workers != 0
                || steps.length % workers != 0) {
            throw new IllegalArgumentException("optimizer state of sizes " + firstMoment.length + "/" + secondMoment.length
                    + "/" + steps.length + " does not split into " + workers + " workers");
        }
        if (blockVelocity.length != 0 && blockVelocity.length != params.length) {
            throw new IllegalArgumentException("block velocity of " + blockVelocity.length + " floats for "
                    + params.length + " parameters");
        }
    }

    /** Java serialisation goes through {@link Wire}, which writes the arrays in bulk ({@link FloatArrays}). */
    private Object writeReplace() {
        return new Wire(this);
    }

    /** The serialised form of a {@link TrainState}. */
    static final class Wire implements java.io.Externalizable {
        private static final long serialVersionUID = 1L;
        private TrainState state;

        public Wire() {}

        Wire(TrainState state) {
            this.state = state;
        }

        @Override
        public void writeExternal(java.io.ObjectOutput out) throws java.io.IOException {
            FloatArrays.write(out, state.params);
            FloatArrays.write(out, state.firstMoment);
            FloatArrays.write(out, state.secondMoment);
            out.writeInt(state.steps.length);
            for (long s : state.steps) {
                out.writeLong(s);
            }
            out.writeInt(state.workers);
            FloatArrays.write(out, state.blockVelocity);
        }

        @Override
        public void readExternal(java.io.ObjectInput in) throws java.io.IOException {
            float[] p = FloatArrays.read(in);
            float[] m = FloatArrays.read(in);
            float[] v = FloatArrays.read(in);
            long[] steps = new long[in.readInt()];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = in.readLong();
            }
            int workers = in.readInt();
            state = new TrainState(p, m, v, steps, workers, FloatArrays.read(in));
        }

        private Object readResolve() {
            return state;
        }
    }

    /** A state without block momentum. */
    public TrainState(float[] params, float[] firstMoment, float[] secondMoment, long[] steps, int workers) {
        this(params, firstMoment, secondMoment, steps, workers, NONE);
    }

    /** A state with one shared optimizer state and no block momentum. */
    public TrainState(float[] params, float[] firstMoment, float[] secondMoment, long[] steps) {
        this(params, firstMoment, secondMoment, steps, 1);
    }

    /** This state with a zero block velocity (the start of a run with block momentum). */
    /**
     * Where the state first holds a NaN or an infinity ("parameter 12 is NaN", "first moment 3 is Infinity", ...),
     * or null when every value is finite.
     */
    public String firstNonFinite() {
        String[] names = {"parameter", "first moment", "second moment", "block velocity"};
        float[][] arrays = {params, firstMoment, secondMoment, blockVelocity};
        for (int a = 0; a < arrays.length; a++) {
            float[] v = arrays[a];
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    return names[a] + " " + i + " is " + v[i];
                }
            }
        }
        return null;
    }

    /**
     * Throws the error of a diverged run, naming {@code where} and the first non-finite value, when the state holds
     * one: an update can turn the parameters non-finite after the last forward pass whose statistics were checked.
     */
    public void requireFinite(String where) {
        String bad = firstNonFinite();
        if (bad != null) {
            throw LayerStats.diverged("at " + where + " (" + bad + ")");
        }
    }

    public TrainState withZeroVelocity() {
        return new TrainState(params, firstMoment, secondMoment, steps, workers, new float[params.length]);
    }

    /** What the workers need: this state without the block velocity (shares the arrays). */
    public TrainState forWorkers() {
        return blockVelocity.length == 0 ? this : new TrainState(params, firstMoment, secondMoment, steps, workers);
    }

    /** The parameters alone (no optimizer state, no velocity; shares the parameter array). */
    public TrainState parametersOnly() {
        return new TrainState(params, NONE, NONE, new long[0], 1);
    }

    /**
     * This state without its moments (the workers keep them): parameters, step counts and block velocity, for
     * {@code workers} workers.
     */
    public TrainState withoutMoments() {
        return new TrainState(params, NONE, NONE, steps, workers, blockVelocity);
    }

    /** This state with the moments of {@code blocks}, worker w's from {@code blocks.get(w)} (one-worker states). */
    public TrainState withMoments(java.util.List<TrainState> blocks) {
        if (blocks.size() != workers) {
            throw new IllegalArgumentException(blocks.size() + " worker states for " + workers + " workers");
        }
        int nf = blocks.get(0).firstMoment.length;
        int ns = blocks.get(0).secondMoment.length;
        float[] first = new float[nf * workers];
        float[] second = new float[ns * workers];
        for (int w = 0; w < workers; w++) {
            System.arraycopy(blocks.get(w).firstMoment, 0, first, w * nf, nf);
            System.arraycopy(blocks.get(w).secondMoment, 0, second, w * ns, ns);
        }
        return new TrainState(params, first, second, steps, workers, blockVelocity);
    }

    /** Worker {@code w}'s optimizer state alone, as a one-worker state without parameters (copies). */
    public TrainState worker(int w) {
        if (w < 0 || w >= workers) {
            throw new IllegalArgumentException("worker " + w + " of " + workers);
        }
        int nf = firstMomentBlock();
        int ns = secondMomentBlock();
        int nt = stepsBlock();
        return new TrainState(NONE, Arrays.copyOfRange(firstMoment, w * nf, (w + 1) * nf),
                Arrays.copyOfRange(secondMoment, w * ns, (w + 1) * ns), Arrays.copyOfRange(steps, w * nt, (w + 1) * nt), 1);
    }

    /** A fresh run: initial parameters and zero optimizer state. */
    public static TrainState initial(FfModel model, Optimizer template) {
        return new TrainState(model.params().clone(), new float[template.firstMoment().length],
                new float[template.secondMoment().length], new long[template.steps().length]);
    }

    /** This shared state with its optimizer state copied to each of {@code n} workers (parameters shared). */
    public TrainState perWorker(int n) {
        if (workers != 1) {
            throw new IllegalStateException("already " + workers + " worker states");
        }
        return new TrainState(params, repeat(firstMoment, n), repeat(secondMoment, n), repeat(steps, n), n, blockVelocity);
    }

    /** Length of one worker's first-moment block (the parameter count, or 0 for optimizers without one). */
    public int firstMomentBlock() {
        return firstMoment.length / workers;
    }

    public int secondMomentBlock() {
        return secondMoment.length / workers;
    }

    public int stepsBlock() {
        return steps.length / workers;
    }

    private static float[] repeat(float[] a, int n) {
        float[] r = new float[a.length * n];
        for (int w = 0; w < n; w++) {
            System.arraycopy(a, 0, r, w * a.length, a.length);
        }
        return r;
    }

    private static long[] repeat(long[] a, int n) {
        long[] r = new long[a.length * n];
        for (int w = 0; w < n; w++) {
            System.arraycopy(a, 0, r, w * a.length, a.length);
        }
        return r;
    }
}

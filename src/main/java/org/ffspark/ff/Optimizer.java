package org.ffspark.ff;

import org.ffspark.config.OptimizerKind;
import org.ffspark.config.TrainConfig;
import org.ffspark.config.WeightDecayMode;

/**
 * Adam or SGD-with-momentum over ranges of the flat parameter buffer. State buffers share the parameter
 * layout, so they can be broadcast, averaged and checkpointed like the parameters. Each layer keeps its own
 * step count (greedy training starts layers at different times); a softmax readout counts as one more layer, index
 * {@code layers()}. Plain loops over heap arrays, an order of
 * magnitude faster than ND4J's fused AdamUpdater op here (docs/performance.md).
 */
public final class Optimizer {
    private final OptimizerKind kind;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float momentum;
    private final float weightDecay;
    private final boolean decoupled;
    private final float[] first;
    private final float[] second;
    private final long[] steps;
    private final int paramCount;

    public Optimizer(TrainConfig config, FfLayout layout) {
        this.kind = config.optimizer();
        this.beta1 = config.beta1();
        this.beta2 = config.beta2();
        this.epsilon = config.epsilon();
        this.momentum = config.momentum();
        this.weightDecay = config.weightDecay();
        this.decoupled = config.weightDecayMode() == WeightDecayMode.DECOUPLED && config.weightDecay() != 0f;
        int running = 0;
        if (config.peerNorm() > 0f) {
            for (int l = 0; l < layout.layers(); l++) {
                running += layout.out(l);
            }
        }
        this.paramCount = layout.size();
        this.first = new float[layout.size() + running];
        this.second = kind == OptimizerKind.ADAM ? new float[layout.size()] : new float[0];
        this.steps = new long[layout.layers() + (layout.hasReadout() ? 1 : 0)];
    }

    /**
     * Where the peer-normalisation running mean of layer {@code layer}'s units starts in {@link #firstMoment()}: they
     * follow the moments (so they are averaged, kept per worker and checkpointed with them); present only with
     * {@code train.peer-norm > 0}.
     */
    public int runningMeanOffset(FfLayout layout, int layer) {
        int off = paramCount;
        for (int l = 0; l < layer; l++) {
            off += layout.out(l);
        }
        return off;
    }

    /** Records that layers {@code first..last} took one more update; call once per step, after the updates. */
    public void countStep(int first, int last) {
        for (int l = first; l <= last; l++) {
            steps[l]++;
        }
    }

    /**
     * Applies one update to {@code params[from, to)} in place from the gradient {@code g} (same layout as the
     * parameters). {@code layer} selects the step count; the update is step {@code steps[layer] + 1}, so call
     * {@link #countStep} once after all ranges of a step are updated. Ranges may be updated concurrently from
     * different threads when they do not overlap. Every array is indexed by the same {@code i}: with an offset
     * between them the JIT stops vectorising the loop.
     */
    public void update(float[] params, float[] g, int from, int to, int layer, float lr) {
        long t = steps[layer] + 1;
        // L2: the decay joins the gradient; DECOUPLED (AdamW): the weight shrinks beside the step (keep = 1 otherwise,
        // which leaves every value as it was: 1f * w == w).
        final float wd = decoupled ? 0f : weightDecay;
        final float keep = decoupled ? 1f - lr * weightDecay : 1f;
        if (kind == OptimizerKind.ADAM) {
            final float b1 = beta1;
            final float b2 = beta2;
            final float c1 = 1f - b1;
            final float c2 = 1f - b2;
            final float stepSize = (float) (lr / (1 - Math.pow(b1, t)));
            final float invSqrtBc2 = (float) (1 / Math.sqrt(1 - Math.pow(b2, t)));
            final float eps = epsilon;
            final float[] m = first;
            final float[] v = second;
            for (int i = from; i < to; i++) {
                float gi = g[i] + wd * params[i];
                float mi = b1 * m[i] + c1 * gi;
                float vi = b2 * v[i] + c2 * gi * gi;
                m[i] = mi;
                v[i] = vi;
                params[i] = keep * params[i] - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBc2 + eps);
            }
        } else {
            final float mu = momentum;
            final float[] vel = first;
            for (int i = from; i < to; i++) {
                float gi = g[i] + wd * params[i];
                float vi = mu * vel[i] + gi;
                vel[i] = vi;
                params[i] = keep * params[i] - lr * vi;
            }
        }
    }

    /** Replaces the optimizer state with copies of the given buffers (same layout as {@link #firstMoment()} etc.). */
    public void loadState(float[] firstMoment, float[] secondMoment, long[] stepCounts) {
        if (firstMoment.length != first.length || secondMoment.length != second.length || stepCounts.length != steps.length) {
            throw new IllegalArgumentException("optimizer state of sizes " + firstMoment.length + "/" + secondMoment.length
                    + "/" + stepCounts.length + " does not fit " + first.length + "/" + second.length + "/" + steps.length);
        }
        loadState(new TrainState(new float[0], firstMoment, secondMoment, stepCounts), 0);
    }

    /** Replaces the optimizer state with a copy of worker {@code worker}'s block of {@code state}. */
    public void loadState(TrainState state, int worker) {
        if (state.firstMomentBlock() != first.length || state.secondMomentBlock() != second.length
                || state.stepsBlock() != steps.length || worker < 0 || worker >= state.workers()) {
            throw new IllegalArgumentException("optimizer state blocks of sizes " + state.firstMomentBlock() + "/"
                    + state.secondMomentBlock() + "/" + state.stepsBlock() + " (worker " + worker + " of " + state.workers()
                    + ") do not fit " + first.length + "/" + second.length + "/" + steps.length);
        }
        System.arraycopy(state.firstMoment(), worker * first.length, first, 0, first.length);
        System.arraycopy(state.secondMoment(), worker * second.length, second, 0, second.length);
        System.arraycopy(state.steps(), worker * steps.length, steps, 0, steps.length);
    }

    /** Adam's first moment or SGD's velocity (live, layout of the parameters). */
    public float[] firstMoment() {
        return first;
    }

    /** Adam's second moment (live); empty for SGD. */
    public float[] secondMoment() {
        return second;
    }

    /** Updates applied so far, per layer (live). */
    public long[] steps() {
        return steps;
    }
}

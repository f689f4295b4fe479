package org.ffspark.ff;

import java.io.Serializable;

/**
 * Everything a training run carries from one step (or averaging round) to the next: the flat parameters and the
 * optimizer state (moments in parameter layout, step counts per layer). What Spark broadcasts, averages and
 * checkpoints. Arrays are owned by the state; {@link #copy()} before mutating a shared one.
 */
public record TrainState(float[] params, float[] firstMoment, float[] secondMoment, long[] steps) implements Serializable {

    /** A fresh run: initial parameters and zero optimizer state. */
    public static TrainState initial(FfModel model, Optimizer template) {
        return new TrainState(model.params().clone(), new float[template.firstMoment().length],
                new float[template.secondMoment().length], new long[template.steps().length]);
    }

    /** The state of a trainer now (copies). */
    public static TrainState of(FfTrainer t) {
        Optimizer o = t.optimizer();
        return new TrainState(t.model().params().clone(), o.firstMoment().clone(), o.secondMoment().clone(), o.steps().clone());
    }

    /** Loads this state into a trainer (copies); its model's parameters are replaced. */
    public void loadInto(FfTrainer t) {
        System.arraycopy(params, 0, t.model().params(), 0, params.length);
        t.optimizer().loadState(firstMoment, secondMoment, steps);
        t.parametersChanged();
    }

    public TrainState copy() {
        return new TrainState(params.clone(), firstMoment.clone(), secondMoment.clone(), steps.clone());
    }
}

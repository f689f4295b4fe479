package org.ffspark.ff;

import java.io.Serializable;

/**
 * Everything a training run carries from one step (or averaging round) to the next: the flat parameters and the
 * optimizer state (moments in parameter layout, step counts per layer). What Spark broadcasts, averages and
 * checkpoints. Arrays are owned by the state; treat a shared (broadcast) state as read-only.
 */
public record TrainState(float[] params, float[] firstMoment, float[] secondMoment, long[] steps) implements Serializable {

    /** A fresh run: initial parameters and zero optimizer state. */
    public static TrainState initial(FfModel model, Optimizer template) {
        return new TrainState(model.params().clone(), new float[template.firstMoment().length],
                new float[template.secondMoment().length], new long[template.steps().length]);
    }

}

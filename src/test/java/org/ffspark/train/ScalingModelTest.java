package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ScalingModelTest {
    /** The plan's counts are what bench-scale measured from Spark's listener events (N = 2..16) and Spark's rule beyond. */
    @Test
    void thePlanHasSparksStagesTasksAndFanIn() {
        int[][] expected = {{1, 1, 1, 0}, {2, 2, 3, 2}, {4, 2, 5, 4}, {8, 3, 11, 4}, {16, 3, 21, 4}, {32, 3, 38, 7}, {64, 3, 73, 8}};
        for (int[] e : expected) {
            ScalingModel.Plan p = ScalingModel.plan(e[0], SparkFfTrainer.AGGREGATION_DEPTH);
            assertEquals(List.of(e[1], e[2], e[3]), List.of(p.stages(), p.tasks(), p.fanIn()), "N = " + e[0]);
        }
    }

    /** Least squares recovers the costs of noiseless rounds, and a negative coefficient is dropped rather than fitted. */
    @Test
    void theFitRecoversKnownCosts() {
        ScalingModel.Costs truth = new ScalingModel.Costs(0.02, 0.005, 3e-9);
        List<ScalingModel.Observation> obs = new ArrayList<>();
        for (int n : new int[] {2, 4, 8, 16}) {
            for (double bytes : new double[] {1e7, 1.6e8}) {
                ScalingModel.Plan p = ScalingModel.plan(n, 2);
                obs.add(new ScalingModel.Observation(truth.overhead(p.stages(), p.tasks(), bytes), p.stages(), p.tasks(), bytes));
            }
        }
        ScalingModel.Costs fit = ScalingModel.fit(obs);
        assertEquals(truth.perStage(), fit.perStage(), 1e-9);
        assertEquals(truth.perTask(), fit.perTask(), 1e-9);
        assertEquals(truth.perByte(), fit.perByte(), 1e-15);
        assertEquals(truth.perByte() + 8e-10, fit.onNetwork(10e9).perByte(), 1e-15);
        List<ScalingModel.Observation> decreasing = List.of(new ScalingModel.Observation(1, 1, 1, 0),
                new ScalingModel.Observation(0.5, 1, 2, 0), new ScalingModel.Observation(0.2, 1, 3, 0));
        assertEquals(0.0, ScalingModel.fit(decreasing).perTask(), "a cost is never negative");
    }
}

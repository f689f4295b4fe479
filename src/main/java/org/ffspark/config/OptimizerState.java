package org.ffspark.config;

/** What happens to the optimizer state (Adam's moments, SGD's velocity, step counts) at an averaging round. */
public enum OptimizerState {
    /** Averaged over the workers like the parameters, and broadcast back. */
    AVERAGED,
    /** Each worker keeps its own (partition p continues from its own state); only parameters are averaged. */
    PER_WORKER
}

package org.ffspark.config;

/** Which layers learn from a minibatch. */
public enum Schedule {
    /** Every layer updates on every minibatch, each on the detached output of the layer below (Hinton). */
    SIMULTANEOUS,
    /** Layer 1 trains for all epochs, then layer 2, and so on (the pytorch_forward_forward style). */
    GREEDY
}

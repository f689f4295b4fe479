package org.ffspark.config;

/** Parameter update rule applied to each layer's local gradient. */
public enum OptimizerKind {
    ADAM,
    /** SGD with (heavy-ball) momentum. */
    SGD
}

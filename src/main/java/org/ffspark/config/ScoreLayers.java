package org.ffspark.config;

/** Which layers' goodness is added up into a label's FF score. */
public enum ScoreLayers {
    ALL,
    /** All but the first hidden layer (Hinton's choice for deeper nets). Needs at least two hidden layers. */
    SKIP_FIRST;

    /** Index of the first scored hidden layer. */
    public int first() {
        return this == ALL ? 0 : 1;
    }
}

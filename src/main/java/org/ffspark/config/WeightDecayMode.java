package org.ffspark.config;

/** How {@code train.weight-decay} acts. */
public enum WeightDecayMode {
    /** Added to the gradient ({@code g + λw}), so Adam rescales it like the gradient. */
    L2,
    /** Decoupled from the gradient (AdamW, Loshchilov and Hutter 2019): {@code w ← w − lr·λ·w} beside the update. */
    DECOUPLED
}

package org.ffspark.config;

/** How the driver's block learning rate ({@code dist.block-lr}) changes over a distributed run. */
public enum BlockLrSchedule {
    /** Every round uses {@code dist.block-lr}. */
    FIXED,
    /**
     * Round r uses {@code min(N, dist.block-lr / s)}, where {@code s} is the learning-rate schedule's factor at the
     * round's middle (warm-up excluded) and N the number of partitions: while the rate is full nothing changes, and
     * as it decays the driver adds up to N workers' movements instead of averaging them, so N partitions keep the
     * movement of the single JVM's N times as many steps where those steps are small.
     */
    COMPENSATE_DECAY;

    /** The block learning rate of a round whose learning-rate schedule factor is {@code factor}, with {@code partitions} partitions. */
    public float eta(float blockLr, double factor, int partitions) {
        if (this == FIXED || partitions < 2) {
            return blockLr;
        }
        if (!(factor > 0)) {
            return partitions;
        }
        return (float) Math.min(partitions, Math.max(blockLr, blockLr / factor));
    }
}

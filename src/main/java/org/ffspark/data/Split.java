package org.ffspark.data;

import java.util.Locale;

/** The two halves of an MNIST-style data set and their standard IDX file names. */
public enum Split {
    TRAIN("train"),
    TEST("t10k");

    private final String prefix;

    Split(String prefix) {
        this.prefix = prefix;
    }

    public String imagesFile() {
        return prefix + "-images-idx3-ubyte";
    }

    public String labelsFile() {
        return prefix + "-labels-idx1-ubyte";
    }

    /** Lower-case name used in Parquet partitions and reports ("train", "test"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

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

    /** Parses "test" or "train" (any case) given for option {@code key}; anything else is a ConfigException. */
    public static Split parse(String key, String value) {
        for (Split s : values()) {
            if (s.id().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new org.ffspark.config.ConfigException(key + " = " + value + ": expected test or train");
    }

    /** Lower-case name used in Parquet partitions and reports ("train", "test"). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}

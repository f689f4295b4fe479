package org.ffspark;

import org.apache.spark.sql.SparkSession;

/** One shared local[2] SparkSession per test JVM (STACK.md: the first costs 1-2 s, later ones nothing). */
public final class SparkTests {
    private static SparkSession session;

    private SparkTests() {}

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2]").appName("ffspark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
        }
        return session;
    }
}

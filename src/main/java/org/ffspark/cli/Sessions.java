package org.ffspark.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Opens the SparkSession for a job. The master comes from spark-submit ({@code spark.master}), else
 * {@code --master}, else {@code local[*]}: the embedded default.
 */
final class Sessions {
    private Sessions() {}

    static SparkSession open(String appName, String master) {
        SparkConf conf = new SparkConf().setAppName("ffspark " + appName);
        if (!conf.contains("spark.master")) {
            conf.setMaster(master == null ? "local[*]" : master);
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }
}

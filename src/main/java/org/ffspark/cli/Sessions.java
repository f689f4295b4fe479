package org.ffspark.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.ffspark.train.FfKryoRegistrator;
import org.ffspark.train.SparkFfTrainer;

/**
 * Opens the SparkSession for a job. The master comes from spark-submit ({@code spark.master}), else
 * {@code --master}, else {@code local[*]}: the embedded default. With Kryo configured, ffspark's
 * {@link FfKryoRegistrator} is added to the registrators.
 */
final class Sessions {
    private Sessions() {}

    static SparkSession open(String appName, String master) {
        return open(appName, master, java.util.Map.of());
    }

    /** As {@link #open(String, String)}, with Spark settings that apply unless the user's configuration sets them. */
    static SparkSession open(String appName, String master, java.util.Map<String, String> defaults) {
        SparkConf conf = new SparkConf().setAppName("ffspark " + appName);
        defaults.forEach(conf::setIfMissing);
        if (!conf.contains("spark.master")) {
            conf.setMaster(master == null ? "local[*]" : master);
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        }
        if (conf.get("spark.serializer", "").endsWith("KryoSerializer")) {
            String registrator = FfKryoRegistrator.class.getName();
            String current = conf.get("spark.kryo.registrator", "");
            if (!current.contains(registrator)) {
                conf.set("spark.kryo.registrator", current.isEmpty() ? registrator : current + "," + registrator);
            }
        }
        SparkFfTrainer.withDefaults(conf);
        return SparkSession.builder().config(conf).getOrCreate();
    }
}

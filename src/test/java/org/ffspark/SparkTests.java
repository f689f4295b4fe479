package org.ffspark;

import java.io.File;

import org.apache.spark.sql.SparkSession;

/**
 * One shared SparkSession per test JVM (STACK.md: the first costs 1-2 s, later ones nothing). Fast tests use
 * {@code local[2,2]} (two cores, one retry per task, so retry tests work); cluster tests switch to
 * {@code local-cluster[2,1,1024]} (two executor JVMs) through {@link #session(String)}, which stops the old one.
 * A session stopped meanwhile (a CLI command run in-process closes the session it got) is replaced.
 */
public final class SparkTests {
    public static final String LOCAL = "local[2,2]";
    public static final String LOCAL_CLUSTER = "local-cluster[2,1,1024]";
    private static SparkSession session;
    private static String master;

    private SparkTests() {}

    public static SparkSession session() {
        return session(LOCAL);
    }

    public static synchronized SparkSession session(String wanted) {
        if (session != null && wanted.equals(master) && !session.sparkContext().isStopped()) {
            return session;
        }
        if (session != null) {
            session.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
        SparkSession.Builder b = SparkSession.builder().master(wanted).appName("ffspark-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.task.maxFailures", "2");
        if (wanted.startsWith("local-cluster")) {
            new File(System.getenv("SPARK_HOME"), "jars").mkdirs();
            b.config("spark.executor.extraClassPath", System.getProperty("test.cp"))
                    .config("spark.executorEnv.OMP_NUM_THREADS", "1")
                    .config("spark.executor.memory", wanted.replaceAll(".*,(\\d+)\\]$", "$1") + "m");
        }
        session = b.getOrCreate();
        master = wanted;
        return session;
    }

    /** Stops the shared session, for a test whose command opens a session of its own (getOrCreate would return ours). */
    public static synchronized void stopShared() {
        if (session != null) {
            session.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
            session = null;
            master = null;
        }
    }
}

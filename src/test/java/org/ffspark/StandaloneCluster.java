package org.ffspark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Spark standalone master and worker on 127.0.0.1, started and stopped by the project's own
 * {@code deploy/standalone} (separate JVM processes), on free ports, with a SPARK_HOME from
 * {@code deploy/spark-home}. {@link #jobEnv()} is the environment under which {@code jobs/*} spark-submit to it
 * with two one-core executors.
 */
public final class StandaloneCluster implements AutoCloseable {
    private final Path dir;
    private final Map<String, String> env = new HashMap<>();
    private final String url;

    private StandaloneCluster(Path dir) {
        this.dir = dir;
        Path project = TestData.projectDir();
        Processes.Result home = Processes.ok(dir.resolve("logs/spark-home.log"), Map.of(), 600,
                project.resolve("deploy/spark-home").toString());
        env.put("SPARK_HOME", home.lastLine());
        env.put("FFSPARK_STANDALONE_DIR", dir.toString());
        env.put("FFSPARK_MASTER_PORT", Integer.toString(Processes.freePort()));
        env.put("FFSPARK_MASTER_WEBUI_PORT", Integer.toString(Processes.freePort()));
        env.put("FFSPARK_WORKER_WEBUI_PORT", Integer.toString(Processes.freePort()));
        env.put("FFSPARK_WORKER_CORES", "2");
        env.put("FFSPARK_WORKER_MEMORY", "4g");
        url = Processes.ok(dir.resolve("logs/start.log"), env, 120, project.resolve("deploy/standalone").toString(), "start").lastLine();
    }

    public static StandaloneCluster start(Path dir) {
        return new StandaloneCluster(dir);
    }

    public String url() {
        return url;
    }

    /** Environment for jobs/*: this cluster, two executors of one core and 1 GB each, no UI. */
    public Map<String, String> jobEnv() {
        Map<String, String> e = new HashMap<>(env);
        e.put("SPARK_MASTER", url);
        e.put("FFSPARK_TOTAL_EXECUTOR_CORES", "2");
        e.put("FFSPARK_EXECUTOR_CORES", "1");
        e.put("FFSPARK_EXECUTOR_MEMORY", "1g");
        e.put("FFSPARK_EXECUTOR_MEMORY_OVERHEAD", "512m");
        e.put("FFSPARK_DRIVER_MEMORY", "2g");
        e.put("SPARK_SUBMIT_ARGS", "--conf spark.ui.enabled=false");
        return e;
    }

    /** The worker's application directories ({@code app-*}), each holding one directory per executor it ran. */
    public List<Path> applications() {
        try (Stream<Path> s = Files.list(dir.resolve("work"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("app-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Executor ids (directory names) the worker started for an application. */
    public static List<String> executors(Path app) {
        try (Stream<Path> s = Files.list(app)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Processes.run(dir.resolve("logs/stop.log"), env, 60, TestData.projectDir().resolve("deploy/standalone").toString(), "stop");
    }
}

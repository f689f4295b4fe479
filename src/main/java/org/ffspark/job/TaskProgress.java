package org.ffspark.job;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Progress of a long one-stage job on the driver's console: a line every time a tenth of its tasks has succeeded,
 * with the elapsed time and an estimate of what is left, from Spark's own task-end events (so it counts tasks on
 * every executor and ignores failed attempts). Close it when the job is done.
 */
final class TaskProgress extends SparkListener implements AutoCloseable {
    private final SparkContext sc;
    private final String what;
    private final int tasks;
    private final String description;
    private final java.util.Set<Integer> stages = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final PrintStream out;
    private final long t0 = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();

    /** Reports on the tasks of the jobs whose description is {@code description} (set by the caller), out of {@code tasks}. */
    TaskProgress(SparkContext sc, String what, int tasks, String description, PrintStream out) {
        this.sc = sc;
        this.what = what;
        this.tasks = tasks;
        this.description = description;
        this.out = out;
        sc.addSparkListener(this);
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        if (start.properties() != null && description.equals(start.properties().getProperty("spark.job.description"))) {
            scala.collection.Iterator<Object> it = start.stageIds().iterator();
            while (it.hasNext()) {
                stages.add((Integer) it.next());
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (!stages.contains(end.stageId()) || !end.taskInfo().successful() || !end.taskType().equals("ResultTask")) {
            return;
        }
        int k = done.incrementAndGet();
        int step = Math.max(1, tasks / 10);
        if (k % step == 0 || k == tasks) {
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf("%s: %d/%d tasks done, %.0f s elapsed, about %.0f s left%n", what, Math.min(k, tasks), tasks, secs,
                    secs / k * Math.max(0, tasks - k));
        }
    }

    /** Stops listening, after the listener bus (asynchronous) has delivered the last task's end, for up to 2 s. */
    @Override
    public void close() {
        long until = System.nanoTime() + 2_000_000_000L;
        while (done.get() < tasks && System.nanoTime() < until) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sc.removeSparkListener(this);
    }
}

package org.ffspark.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The round-time model of docs/scaling.md: a round of N partitions takes
 * {@code T(N) = C(N) + σ·stages(N) + τ·tasks(N) + β·bytes(N)}, where C is the slowest partition's training, stages
 * and tasks follow Spark's treeAggregate plan for N partitions ({@link #plan}), and bytes are those on the round's
 * critical path: one copy of the broadcast into an executor, the vectors the busiest aggregation task fetches, and
 * the one vector the driver receives. σ, τ and β are fitted by least squares to {@code bench-scale}'s measured
 * rounds (their time beyond compute); a network adds its wire time per byte to β.
 */
public final class ScalingModel {
    /** Spark's treeAggregate plan: tasks of each stage after the partitions' own (intermediate levels, final). */
    public record Plan(int partitions, List<Integer> aggregationTasks, int fanIn) {
        public int stages() {
            return 1 + aggregationTasks.size();
        }

        public int tasks() {
            return partitions + aggregationTasks.stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** One measured round: its time beyond compute, stages, tasks and critical-path bytes. */
    public record Observation(double overheadSeconds, double stages, double tasks, double bytes) {}

    /** The fitted costs: seconds per stage, per task and per byte. */
    public record Costs(double perStage, double perTask, double perByte) {
        /** Predicted time beyond compute of a round with these counts. */
        public double overhead(double stages, double tasks, double bytes) {
            return perStage * stages + perTask * tasks + perByte * bytes;
        }

        /** These costs with a network's wire time added per byte ({@code bitsPerSecond}, e.g. 10e9). */
        public Costs onNetwork(double bitsPerSecond) {
            return new Costs(perStage, perTask, perByte + 8 / bitsPerSecond);
        }
    }

    private ScalingModel() {}

    /**
     * The plan of {@code treeAggregate(depth, finalAggregateOnExecutor = true)} over {@code n} partitions (Spark
     * 3.5's RDD.treeAggregate): levels of {@code n / scale^k} tasks while that saves work, then one final task when
     * more than one partial result is left. {@code fanIn}: partial results the busiest aggregation task fetches.
     */
    public static Plan plan(int n, int depth) {
        int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth)), 2);
        int current = n;
        List<Integer> levels = new ArrayList<>();
        int fanIn = 0;
        while (current > scale + Math.ceil(current / (double) scale)) {
            int next = current / scale;
            fanIn = Math.max(fanIn, (current + next - 1) / next);
            current = next;
            levels.add(current);
        }
        if (current > 1) {
            levels.add(1);
            fanIn = Math.max(fanIn, current);
        }
        return new Plan(n, levels, fanIn);
    }

    /** Bytes on a round's critical path: a broadcast copy, the busiest aggregation task's inputs, the driver's vector. */
    public static double criticalBytes(double broadcastBytes, double vectorBytes, Plan plan) {
        return criticalBytes(broadcastBytes, vectorBytes, plan, 0);
    }

    /**
     * As {@link #criticalBytes(double, double, Plan)}, plus a task's output persisted to disk and read back in the
     * same round ({@code persistedBytes}, counted twice: per-worker rounds keep the vector and the worker's state).
     */
    public static double criticalBytes(double broadcastBytes, double vectorBytes, Plan plan, double persistedBytes) {
        return broadcastBytes + plan.fanIn() * vectorBytes + vectorBytes + 2 * persistedBytes;
    }

    /** Non-negative least squares over the three costs (each coefficient dropped while the fit makes it negative). */
    public static Costs fit(List<Observation> obs) {
        boolean[] use = {true, true, true};
        for (int attempt = 0; attempt < 3; attempt++) {
            double[] c = solve(obs, use);
            boolean ok = true;
            for (int k = 0; k < 3; k++) {
                if (use[k] && c[k] < 0) {
                    use[k] = false;
                    ok = false;
                }
            }
            if (ok) {
                return new Costs(c[0], c[1], c[2]);
            }
        }
        return new Costs(0, 0, 0);
    }

    private static double[] solve(List<Observation> obs, boolean[] use) {
        double[][] a = new double[3][3];
        double[] b = new double[3];
        for (Observation o : obs) {
            double[] x = {o.stages(), o.tasks(), o.bytes()};
            for (int i = 0; i < 3; i++) {
                b[i] += use[i] ? x[i] * o.overheadSeconds() : 0;
                for (int j = 0; j < 3; j++) {
                    a[i][j] += use[i] && use[j] ? x[i] * x[j] : 0;
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            if (!use[i]) {
                a[i][i] = 1;
            }
        }
        return gauss(a, b);
    }

    private static double[] gauss(double[][] a, double[] b) {
        int n = b.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            double tb = b[col];
            b[col] = b[pivot];
            b[pivot] = tb;
            for (int r = 0; r < n; r++) {
                if (r != col && a[col][col] != 0) {
                    double f = a[r][col] / a[col][col];
                    for (int k = col; k < n; k++) {
                        a[r][k] -= f * a[col][k];
                    }
                    b[r] -= f * b[col];
                }
            }
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a[i][i] == 0 ? 0 : b[i] / a[i][i];
        }
        return x;
    }
}

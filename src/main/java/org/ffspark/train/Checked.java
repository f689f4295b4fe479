package org.ffspark.train;

import java.io.Serializable;
import java.util.List;
import java.util.function.Function;

import org.apache.spark.api.java.JavaRDD;
import org.ffspark.data.InputDataException;

/**
 * A value decoded inside a Spark task, or the {@link InputDataException} its input raised, carried as a result. Bad
 * bytes fail the same way on every attempt, so a task that threw would only be retried {@code spark.task.maxFailures}
 * times for nothing: the task reports the error instead and succeeds, and the driver fails the job after that one
 * attempt with the very message the driver would have given. Retries stay for what they are for: lost executors.
 */
public record Checked<T>(T value, String error) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Applies {@code decode}, keeping an {@link InputDataException} as the result (any other error still throws). */
    public static <A, T> Checked<T> of(A input, Function<A, T> decode) {
        try {
            return new Checked<>(decode.apply(input), null);
        } catch (InputDataException e) {
            return new Checked<>(null, e.getMessage());
        }
    }

    /** The value, or the input error it carries, thrown again. */
    public T get() {
        if (error != null) {
            throw InputDataException.again(error);
        }
        return value;
    }

    /**
     * Runs {@code rdd} (one Spark job) and throws the first input error any partition reported, in partition order.
     */
    public static <T> void requireNone(JavaRDD<Checked<T>> rdd) {
        List<String> errors = rdd.map(Checked::error).filter(java.util.Objects::nonNull).take(1);
        if (!errors.isEmpty()) {
            throw InputDataException.again(errors.get(0));
        }
    }
}

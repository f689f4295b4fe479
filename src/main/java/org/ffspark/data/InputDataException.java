package org.ffspark.data;

/**
 * An input data file that is unusable (bad magic, truncated, corrupt gzip, ...). The message is one line that
 * names the file and the problem; the CLI prints it and exits with code 3.
 */
public final class InputDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputDataException(String file, String problem) {
        super(file + ": " + problem);
    }

    private InputDataException(String message) {
        super(message);
    }

    /** The same error again from its whole message, e.g. on the driver for one an executor found. */
    public static InputDataException again(String message) {
        return new InputDataException(message);
    }

    public InputDataException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}

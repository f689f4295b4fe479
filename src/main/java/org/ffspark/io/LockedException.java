package org.ffspark.io;

/** Another run holds a lock this run needs (e.g. a retrain of the same registry is running). Exit code 5. */
public final class LockedException extends RuntimeException {
    public LockedException(String message) {
        super(message);
    }
}

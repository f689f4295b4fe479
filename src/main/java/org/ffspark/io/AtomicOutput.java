package org.ffspark.io;

import org.apache.hadoop.fs.Path;
import org.ffspark.config.ConfigException;

/**
 * Writes an output directory atomically: everything goes to {@code <target>.tmp-<runId>}, and
 * {@link #commit()} renames it into place. An existing target is refused unless overwrite was asked for, in
 * which case it is replaced only at commit. {@link #close()} without commit deletes the temporary directory,
 * so a failed job leaves nothing half-written.
 */
public final class AtomicOutput implements AutoCloseable {
    private final Storage storage;
    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private boolean committed;

    private AtomicOutput(Storage storage, Path target, String runId, boolean overwrite) {
        this.storage = storage;
        this.target = target;
        this.temp = new Path(target.getParent(), target.getName() + ".tmp-" + runId);
        this.overwrite = overwrite;
    }

    /**
     * Checks the target up front (exists without {@code overwrite} is a {@link ConfigException}) and creates
     * the temporary directory.
     */
    public static AtomicOutput begin(Storage storage, Path target, String runId, boolean overwrite) {
        if (storage.exists(target) && !overwrite) {
            throw new ConfigException(target + ": output already exists; pass --overwrite to replace it");
        }
        AtomicOutput out = new AtomicOutput(storage, target, runId, overwrite);
        if (storage.exists(out.temp)) {
            storage.delete(out.temp);
        }
        storage.mkdirs(out.temp);
        return out;
    }

    /** The temporary directory to write into. */
    public Path dir() {
        return temp;
    }

    public Path target() {
        return target;
    }

    /** Moves the temporary directory into place, replacing an existing target only if overwrite was given. */
    public void commit() {
        if (storage.exists(target)) {
            if (!overwrite) {
                throw new ConfigException(target + ": output appeared while this job ran; pass --overwrite to replace it");
            }
            storage.delete(target);
        }
        storage.rename(temp, target);
        committed = true;
    }

    @Override
    public void close() {
        if (!committed && storage.exists(temp)) {
            storage.delete(temp);
        }
    }
}

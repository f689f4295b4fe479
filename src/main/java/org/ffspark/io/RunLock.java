package org.ffspark.io;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.hadoop.fs.Path;

/**
 * A lock file on any Hadoop FS, so that only one run at a time works on a shared location (the model registry).
 * Taken by an atomic create-if-absent ({@link Storage#createNew}); the holder refreshes the file's modification
 * time (a heartbeat) while it runs. A lock counts as stale, and is taken over with a warning, when its holder
 * ran on this host and that process is gone (a crashed or killed run), or when its heartbeat is older than the
 * stale timeout (a holder on another host that died). Otherwise acquiring fails with {@link LockedException}.
 */
public final class RunLock implements AutoCloseable {
    private final Storage storage;
    private final Path file;
    private final String runId;
    private final ScheduledExecutorService heartbeat;

    private RunLock(Storage storage, Path file, String runId, Duration staleAfter) {
        this.storage = storage;
        this.file = file;
        this.runId = runId;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ffspark-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000, Math.min(30_000, staleAfter.toMillis() / 3));
        heartbeat.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Takes the lock or throws {@link LockedException} naming its holder; a stale lock is taken over. */
    public static RunLock acquire(Storage storage, Path file, String runId, Duration staleAfter, Consumer<String> warn) {
        byte[] me = Json.bytes(holder(runId));
        if (storage.createNew(file, me)) {
            return new RunLock(storage, file, runId, staleAfter);
        }
        Holder h = readHolder(storage, file);
        long ageMs = System.currentTimeMillis() - storage.modificationTime(file);
        String who = describe(h, ageMs);
        String why = staleReason(h, ageMs, staleAfter);
        if (why == null) {
            throw new LockedException(file + ": held by " + who + "; another run is working on it (the lock counts as stale after "
                    + staleAfter.toSeconds() + " s without heartbeat)");
        }
        warn.accept(file + ": taking over a stale lock (" + why + "; it was held by " + who + ")");
        storage.delete(file);
        if (!storage.createNew(file, me)) {
            throw new LockedException(file + ": another run took the stale lock first");
        }
        return new RunLock(storage, file, runId, staleAfter);
    }

    /** The lock file's content (schema {@code data-schemas/lock.schema.json}): who holds it and since when. */
    record Holder(String runId, String host, long pid, String jvm, String acquiredAt) {}

    private static String staleReason(Holder h, long ageMs, Duration staleAfter) {
        if (h == null) {
            return ageMs > 5_000 ? "unreadable lock file" : null;  // a holder may be writing it right now
        }
        if (hostName().equals(h.host())) {
            long pid = h.pid();
            if (pid > 0 && pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
                return "its process " + pid + " on this host is gone";
            }
        }
        return ageMs > staleAfter.toMillis() ? "no heartbeat for " + ageMs / 1000 + " s" : null;
    }

    private static String describe(Holder h, long ageMs) {
        if (h == null) {
            return "an unknown run (unreadable lock file)";
        }
        return "run " + h.runId() + " (pid " + h.pid() + " on " + h.host()
                + ", since " + h.acquiredAt() + ", heartbeat " + ageMs / 1000 + " s ago)";
    }

    private static Holder readHolder(Storage storage, Path file) {
        try {
            return Json.read(storage.readAll(file), Holder.class, file.toString());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Holder holder(String runId) {
        return new Holder(runId, hostName(), ProcessHandle.current().pid(), ManagementFactory.getRuntimeMXBean().getName(),
                Instant.now().toString());
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    private void beat() {
        try {
            storage.touch(file);
        } catch (RuntimeException e) {
            // the next beat retries; a missing lock is detected at close
        }
    }

    /** Stops the heartbeat and deletes the lock if it is still this run's. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        Holder h = readHolder(storage, file);
        if (h != null && runId.equals(h.runId())) {
            storage.delete(file);
        }
    }
}

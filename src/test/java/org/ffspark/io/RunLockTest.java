package org.ffspark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
    private static final Duration STALE = Duration.ofSeconds(60);

    private static org.apache.hadoop.fs.Path lockPath(Path dir) {
        return new org.apache.hadoop.fs.Path(dir.resolve("retrain.lock").toUri());
    }

    @Test
    void aSecondRunIsRefusedWhileTheFirstHoldsTheLockAndMayTakeItAfterRelease(@TempDir Path tmp) {
        Storage st = Storage.local();
        List<String> warnings = new ArrayList<>();
        try (RunLock first = RunLock.acquire(st, lockPath(tmp), "run-a", STALE, warnings::add)) {
            LockedException e = assertThrows(LockedException.class, () -> RunLock.acquire(st, lockPath(tmp), "run-b", STALE, warnings::add));
            assertTrue(e.getMessage().startsWith(lockPath(tmp) + ": held by run run-a (pid " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains("stale after 60 s"), e.getMessage());
            com.fasterxml.jackson.databind.JsonNode held = org.ffspark.SchemaCheck.json(tmp.resolve("retrain.lock"));
            assertEquals(List.of(), org.ffspark.SchemaCheck.violations(org.ffspark.SchemaCheck.schema("lock.schema.json"), held));
            assertEquals("run-a", held.get("runId").asText());
        }
        assertFalse(Files.exists(tmp.resolve("retrain.lock")), "released");
        try (RunLock second = RunLock.acquire(st, lockPath(tmp), "run-b", STALE, warnings::add)) {
            assertTrue(Files.exists(tmp.resolve("retrain.lock")));
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void aLockOfADeadProcessOnThisHostIsTakenOverWithAWarning(@TempDir Path tmp) throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Files.writeString(tmp.resolve("retrain.lock"), "{\"runId\":\"crashed\",\"host\":\"" + RunLock.hostName() + "\",\"pid\":" + p.pid()
                + ",\"acquiredAt\":\"2026-01-01T00:00:00Z\"}", StandardCharsets.UTF_8);
        List<String> warnings = new ArrayList<>();
        try (RunLock lock = RunLock.acquire(Storage.local(), lockPath(tmp), "run-c", STALE, warnings::add)) {
            assertTrue(Files.readString(tmp.resolve("retrain.lock")).contains("\"run-c\""));
        }
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("its process " + p.pid() + " on this host is gone") && warnings.get(0).contains("run crashed"), warnings.get(0));
    }

    @Test
    void aLockWithoutHeartbeatForTheTimeoutIsStaleButAFreshOneOnAnotherHostIsNot(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("retrain.lock");
        Files.writeString(f, "{\"runId\":\"remote\",\"host\":\"some-other-host\",\"pid\":1,\"acquiredAt\":\"2026-01-01T00:00:00Z\"}");
        assertThrows(LockedException.class, () -> RunLock.acquire(Storage.local(), lockPath(tmp), "run-d", STALE, w -> { }));
        assertTrue(f.toFile().setLastModified(System.currentTimeMillis() - 61_000));
        List<String> warnings = new ArrayList<>();
        try (RunLock lock = RunLock.acquire(Storage.local(), lockPath(tmp), "run-d", STALE, warnings::add)) {
            assertTrue(warnings.get(0).contains("no heartbeat for 6"), warnings.get(0));
        }
    }

    @Test
    void theHolderKeepsTheLockFreshWithAHeartbeat(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("retrain.lock");
        try (RunLock lock = RunLock.acquire(Storage.local(), lockPath(tmp), "run-e", Duration.ofSeconds(3), w -> { })) {
            assertTrue(f.toFile().setLastModified(System.currentTimeMillis() - 60_000));
            long deadline = System.currentTimeMillis() + 5_000;
            while (System.currentTimeMillis() - f.toFile().lastModified() > 30_000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(System.currentTimeMillis() - f.toFile().lastModified() < 30_000, "heartbeat refreshed the lock");
        }
    }
}

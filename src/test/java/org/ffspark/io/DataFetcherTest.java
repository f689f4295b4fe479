package org.ffspark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.ffspark.TestData;
import org.ffspark.data.InputDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetch step against local sources and a stand-in system package (no network, no apt). */
class DataFetcherTest {
    private static final DataFetcher.Dataset MNIST = DataFetcher.Dataset.MNIST;

    /** A system package for MNIST whose install copies the fetched files into {@code dir}, or fails with {@code failure}. */
    static final class FakePackages implements DataFetcher.Packages {
        final Path dir;
        final String failure;
        int installs;

        FakePackages(Path dir, String failure) {
            this.dir = dir;
            this.failure = failure;
        }

        @Override
        public Path dir(DataFetcher.Dataset d) {
            return dir.resolve(d.id());
        }

        @Override
        public String install(DataFetcher.Dataset d) {
            installs++;
            if (failure != null) {
                return failure;
            }
            copyMnist(dir.resolve(d.id()));
            return null;
        }

        @Override
        public String command(DataFetcher.Dataset d) {
            return "fake-install " + d.id();
        }
    }

    static void copyMnist(Path to) {
        try {
            Files.createDirectories(to);
            for (String f : DataFetcher.files()) {
                Files.copy(TestData.mnistDir().resolve(f + ".gz"), to.resolve(f + ".gz"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DataFetcher localOnly(List<String> log, Path packageRoot) {
        return new DataFetcher(log::add, new FakePackages(packageRoot, "not allowed here"), false, false);
    }

    @Test
    void fetchesFromNamedDirectoryLogsEachFilesSourceAndVerifiesEveryFile(@TempDir Path tmp) {
        List<String> log = new ArrayList<>();
        Path from = tmp.resolve("mirror");
        copyMnist(from.resolve("mnist"));
        Path dir = localOnly(log, tmp.resolve("pkg")).fetch(MNIST, tmp.resolve("data"), from, false);
        assertEquals(tmp.resolve("data/mnist"), dir);
        assertNull(DataFetcher.firstUnverified(dir, DataFetcher.expected(MNIST)));
        for (String f : DataFetcher.files()) {
            assertTrue(log.contains("mnist: " + f + " from " + from.resolve("mnist").resolve(f + ".gz")), log.toString());
        }
        localOnly(log, tmp.resolve("pkg")).fetch(MNIST, tmp.resolve("data"), from, false);
        assertTrue(log.get(log.size() - 1).contains("already present and verified"), log.toString());
    }

    @Test
    void installsTheSystemPackageOnceWhenNoOtherSourceHasTheFiles(@TempDir Path tmp) {
        List<String> log = new ArrayList<>();
        FakePackages pkg = new FakePackages(tmp.resolve("pkg"), null);
        Path dir = new DataFetcher(log::add, pkg, true, false).fetch(MNIST, tmp.resolve("data"), null, false);
        assertEquals(1, pkg.installs, log.toString());
        assertNull(DataFetcher.firstUnverified(dir, DataFetcher.expected(MNIST)));
        assertTrue(log.contains("mnist: installing its system package (fake-install mnist)"), log.toString());
        for (String f : DataFetcher.files()) {
            assertTrue(log.contains("mnist: " + f + " from " + tmp.resolve("pkg/mnist").resolve(f + ".gz")), log.toString());
        }
    }

    @Test
    void impossibleInstallNamesTheCommandToRunAndLeavesNothing(@TempDir Path tmp) throws Exception {
        FakePackages pkg = new FakePackages(tmp.resolve("pkg"), "installing needs root, and sudo is not available without a password");
        Path out = tmp.resolve("data");
        Files.createDirectories(out);
        InputDataException e = assertThrows(InputDataException.class,
                () -> new DataFetcher(s -> { }, pkg, true, false).fetch(MNIST, out, null, false));
        assertEquals(1, pkg.installs);
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertTrue(e.getMessage().startsWith("mnist/train-images-idx3-ubyte: no verified copy found"), e.getMessage());
        assertTrue(e.getMessage().contains("installing the package (installing needs root"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Install it with: fake-install mnist (or give a directory holding the files with --from DIR)"),
                e.getMessage());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(0, s.count(), "nothing left in the data directory");
        }
    }

    @Test
    void localOnlyNeverInstalls(@TempDir Path tmp) {
        FakePackages pkg = new FakePackages(tmp.resolve("pkg"), null);
        InputDataException e = assertThrows(InputDataException.class,
                () -> new DataFetcher(s -> { }, pkg, false, false).fetch(MNIST, tmp.resolve("data"), null, false));
        assertEquals(0, pkg.installs);
        assertTrue(e.getMessage().contains("no verified copy found"), e.getMessage());
    }

    @Test
    void checksumMismatchIsAnErrorAndLeavesNothingUnverified(@TempDir Path tmp) throws Exception {
        Path from = tmp.resolve("from");
        copyMnist(from.resolve("mnist"));
        byte[] bad = TestData.gzip(TestData.labelsIdx(0x801, 3, new byte[] {1, 2, 3}));
        Files.write(from.resolve("mnist/t10k-labels-idx1-ubyte.gz"), bad);
        Path out = tmp.resolve("data");
        Files.createDirectories(out);
        InputDataException e = assertThrows(InputDataException.class,
                () -> localOnly(new ArrayList<>(), tmp.resolve("pkg")).fetch(MNIST, out, from, false));
        assertTrue(e.getMessage().startsWith("mnist/t10k-labels-idx1-ubyte: no verified copy found"), e.getMessage());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(0, s.count(), "nothing left in the data directory");
        }
    }

    @Test
    void corruptExistingCopyIsRefusedWithoutOverwrite(@TempDir Path tmp) throws Exception {
        Path from = tmp.resolve("from");
        copyMnist(from.resolve("mnist"));
        Path data = tmp.resolve("data");
        Path dir = localOnly(new ArrayList<>(), tmp.resolve("pkg")).fetch(MNIST, data, from, false);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3});
        InputDataException e = assertThrows(InputDataException.class,
                () -> localOnly(new ArrayList<>(), tmp.resolve("pkg")).fetch(MNIST, data, from, false));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte.gz: present but does not match its checksum"), e.getMessage());
        localOnly(new ArrayList<>(), tmp.resolve("pkg")).fetch(MNIST, data, from, true);
        assertNull(DataFetcher.firstUnverified(dir, DataFetcher.expected(MNIST)));
        assertFalse(Files.exists(data.resolve("mnist.tmp-" + ProcessHandle.current().pid())));
    }
}

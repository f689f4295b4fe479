package org.ffspark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.ffspark.TestData;
import org.ffspark.data.InputDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFetcherTest {
    @Test
    void fetchesFromNamedDirectoryAndVerifiesEveryFile(@TempDir Path tmp) {
        List<String> log = new ArrayList<>();
        Path dir = new DataFetcher(log::add).fetch(DataFetcher.Dataset.MNIST, tmp, TestData.shared().resolve("data"), false);
        assertEquals(tmp.resolve("mnist"), dir);
        assertEquals(null, DataFetcher.firstUnverified(dir, DataFetcher.expected(DataFetcher.Dataset.MNIST)));
        new DataFetcher(log::add).fetch(DataFetcher.Dataset.MNIST, tmp, TestData.shared().resolve("data"), false);
        assertTrue(log.get(log.size() - 1).contains("already present and verified"), log.toString());
    }

    @Test
    void repoChecksumsMatchTheSharedData() throws Exception {
        for (DataFetcher.Dataset d : DataFetcher.Dataset.values()) {
            String shared = Files.readString(TestData.shared().resolve("data").resolve(d.id()).resolve("SHA256SUMS.uncompressed"));
            DataFetcher.expected(d).forEach((file, sha) -> assertTrue(shared.contains(sha + "  " + file), d.id() + " " + file));
            assertEquals(4, DataFetcher.expected(d).size());
        }
    }

    @Test
    void checksumMismatchIsAnErrorAndLeavesNothingUnverified(@TempDir Path tmp) throws Exception {
        Path from = tmp.resolve("from/fashion-mnist");
        Files.createDirectories(from);
        Path src = TestData.fashionDir();
        for (String f : DataFetcher.files()) {
            Files.copy(src.resolve(f + ".gz"), from.resolve(f + ".gz"));
        }
        byte[] bad = TestData.gzip(TestData.labelsIdx(0x801, 3, new byte[] {1, 2, 3}));
        Files.write(from.resolve("t10k-labels-idx1-ubyte.gz"), bad);
        Path out = tmp.resolve("data");
        Files.createDirectories(out);
        DataFetcher fetcher = new DataFetcher(s -> { });
        // The Debian package may supply a verified copy on some machines; only assert when it cannot.
        if (!Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"))) {
            InputDataException e = assertThrows(InputDataException.class,
                    () -> fetcher.fetch(DataFetcher.Dataset.FASHION_MNIST, out, tmp.resolve("from"), false));
            assertTrue(e.getMessage().startsWith("t10k-labels-idx1-ubyte: no verified copy found"), e.getMessage());
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
            try (Stream<Path> s = Files.list(out)) {
                assertEquals(0, s.count(), "nothing left in the data directory");
            }
        }
    }

    @Test
    void corruptExistingCopyIsRefusedWithoutOverwrite(@TempDir Path tmp) throws Exception {
        Path dir = new DataFetcher(s -> { }).fetch(DataFetcher.Dataset.MNIST, tmp, TestData.shared().resolve("data"), false);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {1, 2, 3});
        InputDataException e = assertThrows(InputDataException.class,
                () -> new DataFetcher(s -> { }).fetch(DataFetcher.Dataset.MNIST, tmp, TestData.shared().resolve("data"), false));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte.gz: present but does not match its checksum"), e.getMessage());
        new DataFetcher(s -> { }).fetch(DataFetcher.Dataset.MNIST, tmp, TestData.shared().resolve("data"), true);
        assertEquals(null, DataFetcher.firstUnverified(dir, DataFetcher.expected(DataFetcher.Dataset.MNIST)));
        assertFalse(Files.exists(tmp.resolve("mnist.tmp-" + ProcessHandle.current().pid())));
    }
}

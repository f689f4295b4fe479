package org.ffspark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ffspark.TestData.gzip;
import static org.ffspark.TestData.imagesIdx;
import static org.ffspark.TestData.labelsIdx;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.ffspark.TestData;
import org.ffspark.io.IdxDataset;
import org.ffspark.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IdxReaderTest {
    private static final byte[] TWO_IMAGES = new byte[2 * 784];

    static Stream<Arguments> badImageFiles() {
        byte[] good = imagesIdx(0x803, 2, 28, 28, TWO_IMAGES);
        byte[] corruptGz = gzip(good);
        corruptGz[corruptGz.length / 2] ^= 0x5a;
        corruptGz[corruptGz.length / 2 + 1] ^= 0x33;
        byte[] truncatedGz = Arrays.copyOf(gzip(good), 30);
        return Stream.of(
                Arguments.of("bad magic", imagesIdx(0x1234, 2, 28, 28, TWO_IMAGES), "bad magic number 0x00001234"),
                Arguments.of("labels file given as images", labelsIdx(0x801, 2, new byte[2]), "looks like a labels file"),
                Arguments.of("truncated pixels", Arrays.copyOf(good, good.length - 784), "truncated: header says 2 images, file holds 1"),
                Arguments.of("truncated header", Arrays.copyOf(good, 6), "truncated header"),
                Arguments.of("not 28x28", imagesIdx(0x803, 2, 32, 32, new byte[2 * 1024]), "images are 32x32, expected 28x28"),
                Arguments.of("trailing bytes", imagesIdx(0x803, 1, 28, 28, TWO_IMAGES), "trailing bytes after 1 images"),
                Arguments.of("corrupt gzip", corruptGz, "corrupt or truncated gzip"),
                Arguments.of("truncated gzip", truncatedGz, "corrupt or truncated gzip"),
                Arguments.of("empty file", new byte[0], "empty file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badImageFiles")
    void rejectsBadImagesFileNamingFileAndProblem(String name, byte[] bytes, String problem) {
        InputDataException e = assertThrows(InputDataException.class,
                () -> IdxReader.readImages(new ByteArrayInputStream(bytes), "dir/bad-images.gz"));
        assertTrue(e.getMessage().startsWith("dir/bad-images.gz: "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one-line message");
    }

    @Test
    void rejectsLabelOutOfRange() {
        byte[] f = labelsIdx(0x801, 3, new byte[] {1, 12, 3});
        InputDataException e = assertThrows(InputDataException.class,
                () -> IdxReader.readLabels(new ByteArrayInputStream(f), "lab.idx"));
        assertEquals("lab.idx: label 12 at index 1 is out of range 0..9", e.getMessage());
    }

    @Test
    void rejectsEmptyLabelsFile() {
        InputDataException e = assertThrows(InputDataException.class,
                () -> IdxReader.readLabels(new ByteArrayInputStream(new byte[0]), "lab.idx"));
        assertEquals("lab.idx: empty file", e.getMessage());
    }

    @Test
    void rejectsTruncatedLabels() {
        byte[] f = labelsIdx(0x801, 5, new byte[] {1, 2});
        InputDataException e = assertThrows(InputDataException.class,
                () -> IdxReader.readLabels(new ByteArrayInputStream(f), "lab.idx"));
        assertTrue(e.getMessage().contains("lab.idx: truncated: header says 5 labels, file holds 2"), e.getMessage());
    }

    @Test
    void rejectsImageLabelCountMismatch() {
        InputDataException e = assertThrows(InputDataException.class,
                () -> IdxReader.pair("x", TWO_IMAGES, "img.gz", new byte[3], "lab.gz"));
        assertEquals("img.gz: holds 2 images but lab.gz holds 3 labels", e.getMessage());
    }

    @Test
    void readsRawAndGzipIdentically() {
        byte[] px = new byte[2 * 784];
        px[5] = (byte) 200;
        px[784 + 700] = 7;
        byte[] raw = imagesIdx(0x803, 2, 28, 28, px);
        assertArrayEquals(px, IdxReader.readImages(new ByteArrayInputStream(raw), "a"));
        assertArrayEquals(px, IdxReader.readImages(new ByteArrayInputStream(gzip(raw)), "a"));
    }

    @Test
    void readsFetchedMnistWithTheRepositorysChecksums() {
        IdxDataset.Loaded test = IdxDataset.read(Storage.local(), TestData.mnistDir().toString(), Split.TEST);
        assertEquals(10_000, test.images().count());
        var sums = org.ffspark.io.DataFetcher.expected(org.ffspark.io.DataFetcher.Dataset.MNIST);
        assertEquals(sums.get("t10k-images-idx3-ubyte"), test.checksums().get("t10k-images-idx3-ubyte"));
        assertEquals(sums.get("t10k-labels-idx1-ubyte"), test.checksums().get("t10k-labels-idx1-ubyte"));
    }

    @Test
    void datasetReportsMissingFileByPath(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(imagesIdx(0x803, 0, 28, 28, new byte[0])));
        InputDataException e = assertThrows(InputDataException.class,
                () -> IdxDataset.read(Storage.local(), dir.toString(), Split.TRAIN));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte: missing"), e.getMessage());
    }

    @Test
    void datasetReportsCountMismatchAcrossFiles(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(imagesIdx(0x803, 2, 28, 28, TWO_IMAGES)));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labelsIdx(0x801, 1, new byte[] {4}));
        InputDataException e = assertThrows(InputDataException.class,
                () -> IdxDataset.read(Storage.local(), dir.toString(), Split.TEST));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz: holds 2 images but"), e.getMessage());
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte holds 1 labels"), e.getMessage());
    }
}

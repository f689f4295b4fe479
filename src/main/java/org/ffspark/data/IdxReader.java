package org.ffspark.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads and validates IDX files (LeCun's MNIST format), gzip-compressed or raw. Every defect becomes an
 * {@link InputDataException} whose one-line message names the file and the problem: empty file, corrupt gzip,
 * bad magic number, image size other than 28x28, truncated data, trailing bytes, label out of range, image and
 * label counts that disagree.
 *
 * <p>Streams come from the caller (any file system); this class never closes them.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private static final int BUFFER_BYTES = 1 << 16;

    private IdxReader() {}

    /** A parsed IDX payload and the SHA-256 (hex) of the file's decompressed bytes, header included. */
    public record Parsed(byte[] data, String sha256) {}

    /** Reads an images file; returns [count * 784] pixel bytes. */
    public static byte[] readImages(InputStream in, String file) {
        return parseImages(in, file).data();
    }

    /** Reads a labels file; returns [count] labels, each checked to lie in 0..9. */
    public static byte[] readLabels(InputStream in, String file) {
        return parseLabels(in, file).data();
    }

    /** Reads an images file; returns [count * 784] pixel bytes and the checksum of the decompressed file. */
    public static Parsed parseImages(InputStream in, String file) {
        MessageDigest md = Checksums.sha256();
        try (InputStream s = new DigestInputStream(open(in, file), md)) {
            int magic = readHeaderInt(s, file, "magic number");
            if (magic != IMAGES_MAGIC) {
                throw new InputDataException(file, String.format(
                        "bad magic number 0x%08x, expected 0x%08x (IDX unsigned-byte images)%s",
                        magic, IMAGES_MAGIC, magic == LABELS_MAGIC ? "; this looks like a labels file" : ""));
            }
            int count = readHeaderInt(s, file, "image count");
            int rows = readHeaderInt(s, file, "row count");
            int cols = readHeaderInt(s, file, "column count");
            if (rows != LabeledImages.ROWS || cols != LabeledImages.COLS) {
                throw new InputDataException(file, "images are " + rows + "x" + cols + ", expected 28x28");
            }
            if (count < 0 || (long) count * LabeledImages.PIXELS > Integer.MAX_VALUE - 8) {
                throw new InputDataException(file, "header gives an impossible image count " + count);
            }
            byte[] pixels = new byte[count * LabeledImages.PIXELS];
            int got = readFully(s, pixels, file);
            if (got < pixels.length) {
                throw new InputDataException(file, "truncated: header says " + count + " images, file holds "
                        + got / LabeledImages.PIXELS + "; re-run the fetch step");
            }
            requireEnd(s, file, count + " images");
            return new Parsed(pixels, Checksums.hex(md.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a labels file; returns [count] labels (checked to lie in 0..9) and the decompressed checksum. */
    public static Parsed parseLabels(InputStream in, String file) {
        MessageDigest md = Checksums.sha256();
        try (InputStream s = new DigestInputStream(open(in, file), md)) {
            int magic = readHeaderInt(s, file, "magic number");
            if (magic != LABELS_MAGIC) {
                throw new InputDataException(file, String.format(
                        "bad magic number 0x%08x, expected 0x%08x (IDX unsigned-byte labels)%s",
                        magic, LABELS_MAGIC, magic == IMAGES_MAGIC ? "; this looks like an images file" : ""));
            }
            int count = readHeaderInt(s, file, "label count");
            if (count < 0 || count > Integer.MAX_VALUE - 8) {
                throw new InputDataException(file, "header gives an impossible label count " + count);
            }
            byte[] labels = new byte[count];
            int got = readFully(s, labels, file);
            if (got < count) {
                throw new InputDataException(file, "truncated: header says " + count + " labels, file holds " + got
                        + "; re-run the fetch step");
            }
            requireEnd(s, file, count + " labels");
            for (int i = 0; i < count; i++) {
                if ((labels[i] & 0xff) >= LabeledImages.CLASSES) {
                    throw new InputDataException(file, "label " + (labels[i] & 0xff) + " at index " + i
                            + " is out of range 0..9");
                }
            }
            return new Parsed(labels, Checksums.hex(md.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Pairs an images file with its labels file, checking that the counts agree. */
    public static LabeledImages pair(String name, byte[] pixels, String imagesFile, byte[] labels, String labelsFile) {
        int images = pixels.length / LabeledImages.PIXELS;
        if (images != labels.length) {
            throw new InputDataException(imagesFile, "holds " + images + " images but " + labelsFile + " holds "
                    + labels.length + " labels");
        }
        return new LabeledImages(name, pixels, labels);
    }

    /** Detects gzip by its magic bytes and wraps the stream; an empty stream is an error. */
    private static InputStream open(InputStream in, String file) throws IOException {
        BufferedInputStream b = new BufferedInputStream(new NonClosing(in), BUFFER_BYTES);
        b.mark(2);
        int b0 = b.read();
        int b1 = b.read();
        if (b0 < 0) {
            throw new InputDataException(file, "empty file");
        }
        b.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GuardedGzip(new GZIPInputStream(b, BUFFER_BYTES), file), BUFFER_BYTES);
            } catch (ZipException | EOFException e) {
                throw new InputDataException(file, "corrupt gzip header (" + e.getMessage() + ")", e);
            }
        }
        return b;
    }

    private static int readHeaderInt(InputStream s, String file, String what) throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int c = s.read();
            if (c < 0) {
                throw new InputDataException(file, "truncated header: file ends before the " + what);
            }
            v = (v << 8) | c;
        }
        return v;
    }

    private static int readFully(InputStream s, byte[] into, String file) throws IOException {
        int off = 0;
        while (off < into.length) {
            int n = s.read(into, off, into.length - off);
            if (n < 0) {
                break;
            }
            off += n;
        }
        return off;
    }

    private static void requireEnd(InputStream s, String file, String what) throws IOException {
        if (s.read() >= 0) {
            throw new InputDataException(file, "trailing bytes after " + what + "; the header count disagrees with the file length");
        }
    }

    /** Turns the JDK's gzip failures into one-line data errors that name the file. */
    private static final class GuardedGzip extends InputStream {
        private final InputStream in;
        private final String file;

        GuardedGzip(InputStream in, String file) {
            this.in = in;
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (ZipException | EOFException e) {
                throw corrupt(e);
            }
        }

        private InputDataException corrupt(IOException e) {
            return new InputDataException(file, "corrupt or truncated gzip stream (" + e.getMessage() + ")", e);
        }
    }

    /** Lets us close our wrappers without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller owns the underlying stream
        }
    }
}

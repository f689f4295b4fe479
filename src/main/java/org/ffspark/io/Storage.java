package org.ffspark.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Access to files on any Hadoop file system by URI ({@code file://}, {@code hdfs://}, {@code s3a://}, or a
 * plain local path). Wraps {@link IOException} into {@link UncheckedIOException} with the path in the message.
 */
public final class Storage {
    private final Configuration conf;

    public Storage(Configuration conf) {
        this.conf = conf;
    }

    /** Storage over a default Hadoop configuration (local files and any FS on the classpath). */
    public static Storage local() {
        return new Storage(new Configuration());
    }

    public Configuration conf() {
        return conf;
    }

    public Path path(String uri) {
        return new Path(uri);
    }

    /**
     * The file system of {@code p}. For local files this is the raw local FS: ffspark verifies its own
     * checksums, and Hadoop's {@code .crc} side files would only turn a corrupt file into a less clear error.
     */
    public FileSystem fs(Path p) {
        try {
            FileSystem fs = p.getFileSystem(conf);
            return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": cannot open file system: " + e.getMessage(), e);
        }
    }

    public boolean exists(Path p) {
        try {
            return fs(p).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    public InputStream open(Path p) {
        try {
            return fs(p).open(p);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": cannot open: " + e.getMessage(), e);
        }
    }

    public OutputStream create(Path p) {
        try {
            return fs(p).create(p, false);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": cannot create: " + e.getMessage(), e);
        }
    }

    public long length(Path p) {
        try {
            return fs(p).getFileStatus(p).getLen();
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    public byte[] readAll(Path p) {
        try (InputStream in = open(p)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": read failed: " + e.getMessage(), e);
        }
    }

    public void writeAll(Path p, byte[] bytes) {
        try (OutputStream out = create(p)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": write failed: " + e.getMessage(), e);
        }
    }

    public void mkdirs(Path p) {
        try {
            if (!fs(p).mkdirs(p)) {
                throw new UncheckedIOException(new IOException(p + ": cannot create directory"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": cannot create directory: " + e.getMessage(), e);
        }
    }

    public void delete(Path p) {
        try {
            fs(p).delete(p, true);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": cannot delete: " + e.getMessage(), e);
        }
    }

    public void rename(Path from, Path to) {
        try {
            if (!fs(from).rename(from, to)) {
                throw new UncheckedIOException(new IOException("cannot rename " + from + " to " + to));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}

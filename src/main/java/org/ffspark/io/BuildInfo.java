package org.ffspark.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The code version baked in at build time ({@code ffspark-git.properties}). */
public final class BuildInfo {
    private BuildInfo() {}

    /** The git commit this build came from, with "+dirty" if the tree had changes; "unknown" outside git. */
    /**
     * The BLAS kernel family OpenBLAS was told to use ({@code OPENBLAS_CORETYPE}), recorded beside every speed
     * figure because it decides the GEMM speed; "auto" when unset (OpenBLAS then detects the CPU itself).
     */
    public static String openblasCoretype() {
        String v = System.getenv("OPENBLAS_CORETYPE");
        return v == null || v.isEmpty() ? "auto" : v;
    }

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

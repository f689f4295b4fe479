package org.ffspark.ff;

import java.util.Map;

import org.bytedeco.javacpp.Loader;

/**
 * Which OpenBLAS build and kernel family this JVM's GEMMs run on: OpenBLAS's own answer ({@code openblas_get_config},
 * {@code openblas_get_corename}), asked through JNA since the JavaCPP presets do not map those two functions. Bit
 * identical results are only promised within one kernel family on one CPU model, so every run and speed record
 * carries both.
 */
public final class BlasKernels {
    /** The environment variable that overrides OpenBLAS's own choice of kernels when set before it loads. */
    public static final String CORETYPE_VARIABLE = "OPENBLAS_CORETYPE";

    /**
     * @param build  OpenBLAS's configuration string (version, DYNAMIC_ARCH, the kernels, thread limit)
     * @param core   the kernel family in use, e.g. "Cooperlake", "SkylakeX", "Haswell"
     * @param source why: "chosen by OpenBLAS for this CPU" or the environment override that forced it
     * @param cpu    the processor, e.g. "AMD EPYC (family 25, model 17; AVX-512)": one kernel family runs at very
     *               different speeds on different processors (AVX-512 at full width or split in two 256-bit halves)
     */
    public record Kernels(String build, String core, String source, String cpu) {
        /** One line for logs. */
        public String describe() {
            return "BLAS " + build + "; kernels " + core + " (" + source + "); CPU " + cpu;
        }
    }

    private static volatile Kernels current;

    private BlasKernels() {}

    /** The kernels of this JVM (loads OpenBLAS if nothing did yet); asked once, then remembered. */
    public static Kernels current() {
        Kernels k = current;
        if (k == null) {
            synchronized (BlasKernels.class) {
                if (current == null) {
                    current = ask();
                }
                k = current;
            }
        }
        return k;
    }

    /** The kernel family alone ({@link Kernels#core()}), as speed records store it. */
    public static String core() {
        return current().core();
    }

    private static Kernels ask() {
        Gemm.ensureLoaded();
        String override = System.getenv(CORETYPE_VARIABLE);
        String source = override == null || override.isEmpty() ? "chosen by OpenBLAS for this CPU"
                : CORETYPE_VARIABLE + "=" + override + " set in the environment";
        if (override != null && !override.isEmpty() && cpuHasAvx512() && !override.matches("(?i)skylakex|cooperlake|sapphirerapids")) {
            source += "; kept, though this CPU has AVX-512: unset it to let OpenBLAS pick its AVX-512 kernels";
        }
        String path = libraryPath();
        if (path == null) {
            return new Kernels("OpenBLAS (library not found among JavaCPP's loaded libraries)", "unknown", source, cpu());
        }
        try {
            com.sun.jna.NativeLibrary lib = com.sun.jna.NativeLibrary.getInstance(path);
            String config = lib.getFunction("openblas_get_config").invokeString(new Object[0], false);
            String core = lib.getFunction("openblas_get_corename").invokeString(new Object[0], false);
            return new Kernels(config.trim(), core.trim(), source, cpu());
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return new Kernels("OpenBLAS at " + path + " (not queryable: " + e.getMessage() + ")", "unknown", source, cpu());
        }
    }

    /**
     * The processor from {@code /proc/cpuinfo}'s first entry: model name, family and model numbers, and whether it has
     * AVX-512; the JVM's {@code os.arch} where there is no such file.
     */
    static String cpu() {
        try {
            java.nio.file.Path info = java.nio.file.Path.of("/proc/cpuinfo");
            if (java.nio.file.Files.exists(info)) {
                return describeCpu(java.nio.file.Files.readAllLines(info));
            }
        } catch (java.io.IOException e) {
            // fall through to the JVM's view
        }
        return System.getProperty("os.arch");
    }

    /** {@link #cpu()} from the lines of a {@code /proc/cpuinfo}. */
    static String describeCpu(java.util.List<String> lines) {
        Map<String, String> first = new java.util.HashMap<>();
        for (String l : lines) {
            if (l.isBlank() && !first.isEmpty()) {
                break;
            }
            int c = l.indexOf(':');
            if (c > 0) {
                first.putIfAbsent(l.substring(0, c).trim(), l.substring(c + 1).trim());
            }
        }
        String name = first.getOrDefault("model name", first.getOrDefault("CPU implementer", "unknown"));
        StringBuilder b = new StringBuilder(name).append(" (");
        if (first.containsKey("cpu family")) {
            b.append("family ").append(first.get("cpu family")).append(", model ").append(first.get("model")).append("; ");
        }
        String flags = " " + first.getOrDefault("flags", "") + " ";
        return b.append(flags.contains(" avx512f ") ? "AVX-512" : flags.contains(" avx2 ") ? "AVX2" : "no AVX2").append(')').toString();
    }

    /** Whether {@code /proc/cpuinfo} lists AVX-512 Foundation (false where there is no such file). */
    static boolean cpuHasAvx512() {
        try {
            java.nio.file.Path info = java.nio.file.Path.of("/proc/cpuinfo");
            return java.nio.file.Files.exists(info)
                    && java.nio.file.Files.readAllLines(info).stream().anyMatch(l -> l.startsWith("flags") && l.contains(" avx512f"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * The file JavaCPP loaded the engine's OpenBLAS from: {@code libopenblas_nolapack} (the preset {@link Gemm} calls),
     * else {@code libopenblas} (ND4J's; the same build).
     */
    private static String libraryPath() {
        String fallback = null;
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            String v = e.getValue();
            String name = v == null ? "" : v.substring(v.lastIndexOf('/') + 1);
            if (name.startsWith("libopenblas_nolapack")) {
                return v;
            }
            if (name.startsWith("libopenblas") && !name.contains("jni")) {
                fallback = v;
            }
        }
        return fallback;
    }
}

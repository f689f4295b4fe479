package org.ffspark.ff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The engine runs a current OpenBLAS, says which kernels it runs, and every kernel family this CPU can run computes
 * the engine's GEMMs within float32 accuracy of float64: OpenBLAS's own choice (no OPENBLAS_CORETYPE) and each family
 * forced through the variable, each in its own JVM (OpenBLAS reads the variable once, when it loads).
 */
class BlasKernelsTest {
    @Test
    void thisJvmsKernelsAreNamedAndComputeTheEngineShapesCorrectly() {
        BlasKernels.Kernels k = BlasKernels.current();
        assertTrue(k.build().startsWith("OpenBLAS 0.3.31 DYNAMIC_ARCH"), k.build());
        assertTrue(k.build().contains(k.core()), k.describe());
        for (GemmCheck.Case c : GemmCheck.run(3)) {
            assertTrue(c.relativeError() <= GemmCheck.TOLERANCE, c.toString());
        }
    }

    @Test
    void theCpuIsDescribedFromTheFirstProcessorEntry() {
        List<String> zen4 = List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 25", "model\t\t: 17",
                "model name\t: AMD EPYC", "flags\t\t: fpu avx2 fma avx512f avx512bw", "", "processor\t: 1", "cpu family\t: 99",
                "model name\t: other");
        assertEquals("AMD EPYC (family 25, model 17; AVX-512)", BlasKernels.describeCpu(zen4));
        assertEquals("Some CPU (family 6, model 63; AVX2)", BlasKernels.describeCpu(List.of("cpu family : 6", "model : 63",
                "model name : Some CPU", "flags : sse avx2")));
        assertTrue(BlasKernels.current().describe().endsWith("; CPU " + BlasKernels.cpu()), BlasKernels.current().describe());
    }

    @Test
    void everyKernelFamilyTheCpuSupportsPassesTheCheckInItsOwnJvm() throws Exception {
        List<String> families = new ArrayList<>();
        families.add(null); // OpenBLAS's own choice
        families.addAll(supportedFamilies());
        for (String family : families) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "org.ffspark.cli.Main", "blas").redirectErrorStream(true);
            pb.environment().remove(BlasKernels.CORETYPE_VARIABLE);
            if (family != null) {
                pb.environment().put(BlasKernels.CORETYPE_VARIABLE, family);
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains(family == null ? "(chosen by OpenBLAS for this CPU)"
                    : "kernels " + family + " (OPENBLAS_CORETYPE=" + family + " set in the environment"), out);
            assertEquals(10, out.lines().filter(l -> l.startsWith("gemm") && l.endsWith("ok")).count(), out);
            if ("Haswell".equals(family) && BlasKernels.cpuHasAvx512()) {
                assertTrue(out.contains("kept, though this CPU has AVX-512: unset it to let OpenBLAS pick its AVX-512 kernels"), out);
            }
        }
    }

    /** The AVX kernel families OpenBLAS offers that this CPU's flags allow (none on other architectures). */
    static List<String> supportedFamilies() throws IOException {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.exists(info)) {
            return List.of();
        }
        String flagsLine = Files.readAllLines(info).stream().filter(l -> l.startsWith("flags")).findFirst().orElse("");
        Set<String> flags = Set.of(flagsLine.substring(flagsLine.indexOf(':') + 1).trim().split("\\s+"));
        List<String> out = new ArrayList<>();
        if (flags.contains("avx2") && flags.contains("fma")) {
            out.add("Haswell");
        }
        boolean avx512 = flags.containsAll(Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"));
        if (avx512) {
            out.add("SkylakeX");
        }
        if (avx512 && flags.contains("avx512_bf16")) {
            out.add("Cooperlake");
        }
        return out;
    }
}

package org.ffspark.saliency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ffspark.TestData;
import org.ffspark.config.NormKind;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.Gemm;
import org.junit.jupiter.api.Test;

/** The facade's contrastive and random maps, pinned to their definitions. */
class SaliencyMapsTest {
    @Test
    void contrastiveIsOcclusionForTargetMinusOcclusionForRunnerUp() {
        Gemm.init(1);
        FfModel m = GoodnessOcclusionTest.tiny(NormKind.L2);
        float[] image = new float[784];
        TestData.mnistTest().head(1).copyPixels(0, image, 0);
        float[] target = new float[784];
        float[] other = new float[784];
        float[] contrastive = new float[784];
        try (SaliencyMaps maps = new SaliencyMaps(m, 64)) {
            maps.map(SaliencyMethod.FF_OCCLUSION, image, 0, 7, 1, 0, target);
            maps.map(SaliencyMethod.FF_OCCLUSION, image, 0, 1, 7, 0, other);
            maps.map(SaliencyMethod.FF_CONTRASTIVE, image, 0, 7, 1, 0, contrastive);
        }
        for (int i = 0; i < 784; i++) {
            assertEquals(target[i] - other[i], contrastive[i], 1e-6f, "pixel " + i);
        }
        assertTrue(java.util.stream.IntStream.range(0, 784).anyMatch(i -> contrastive[i] != 0));
    }

    @Test
    void randomMapIsSeededAndZeroOnLabelPixels() {
        FfModel m = GoodnessOcclusionTest.tiny(NormKind.L2);
        float[] a = new float[784];
        float[] b = new float[784];
        float[] c = new float[784];
        try (SaliencyMaps maps = new SaliencyMaps(m, 8)) {
            maps.map(SaliencyMethod.RANDOM, new float[784], 0, 0, 1, 5, a);
            maps.map(SaliencyMethod.RANDOM, new float[784], 0, 0, 1, 5, b);
            maps.map(SaliencyMethod.RANDOM, new float[784], 0, 0, 1, 6, c);
        }
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c));
        for (int i = 0; i < 10; i++) {
            assertEquals(0f, a[i]);
        }
    }
}

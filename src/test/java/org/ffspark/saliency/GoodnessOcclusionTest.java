package org.ffspark.saliency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.ffspark.TestData;
import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
import org.ffspark.config.ReadoutKind;
import org.ffspark.config.ScoreLayers;
import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfRowForward;
import org.ffspark.ff.Gemm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The batched rank-one occlusion map against occluding each pixel and re-running a float64 forward pass. */
class GoodnessOcclusionTest {
    static FfModel tiny(NormKind norm) {
        return tiny(norm, ReadoutKind.NONE);
    }

    /** A small random net; with a readout (on layers 2 and 3), random readout weights too. */
    static FfModel tiny(NormKind norm, ReadoutKind readout) {
        ScoreLayers read = readout == ReadoutKind.NONE ? ScoreLayers.ALL : ScoreLayers.SKIP_FIRST;
        FfModel m = FfModel.initialise(new FfConfig(List.of(784, 9, 7, 5), GoodnessKind.MEAN_SQUARES, norm, 1f, read, readout), 3);
        float scale = norm == NormKind.L2 ? 20f : 1f;
        for (int i = 0; i < m.layout().readoutStart(); i++) {
            m.params()[i] *= scale;
        }
        org.ffspark.ff.Rng rng = new org.ffspark.ff.Rng(4);
        for (int i = m.layout().readoutStart(); i < m.params().length; i++) {
            m.params()[i] = 2 * rng.nextFloat() - 1;
        }
        return m;
    }

    @ParameterizedTest
    @CsvSource({"L2,NONE", "RMS,NONE", "L2,SOFTMAX", "RMS,SOFTMAX"})
    void mapEqualsOccludingEachPixelAndRescoring(NormKind norm, ReadoutKind readout) {
        Gemm.init(1);
        FfModel m = tiny(norm, readout);
        LabeledImages d = TestData.mnistTest().head(2);
        float[] image = new float[784];
        d.copyPixels(1, image, 0);
        double[] img = new double[784];
        for (int i = 0; i < 784; i++) {
            img[i] = image[i];
        }
        int c = 4;
        float[][] perLayer = new float[3][784];
        try (FfRowForward fwd = new FfRowForward(m, 37)) {  // 37 rows per batch: several chunks per image
            float[] base = new GoodnessOcclusion(fwd).perLayerMaps(image, 0, c, perLayer);
            double[] refBase = SaliencyReference.goodness(m, img, c);
            for (int l = 0; l < 3; l++) {
                assertEquals(refBase[l], base[l], 1e-4 * Math.max(1, refBase[l]), "base goodness of layer " + l);
            }
        }
        int nonZero = 0;
        for (int i = 0; i < 784; i++) {
            double[] occluded = img.clone();
            occluded[i] = 0;
            double[] ref = SaliencyReference.goodness(m, occluded, c);
            double[] full = SaliencyReference.goodness(m, img, c);
            for (int l = 0; l < 3; l++) {
                double expected = i < 10 ? 0 : full[l] - ref[l];
                assertEquals(expected, perLayer[l][i], 2e-4 * Math.max(1, Math.abs(full[l])), "layer " + l + " pixel " + i);
            }
            nonZero += perLayer[2][i] != 0 ? 1 : 0;
        }
        assertEquals(true, nonZero > 50, "the map is not trivially zero: " + nonZero);
    }

    @ParameterizedTest
    @CsvSource({"L2,NONE,4,2", "RMS,SOFTMAX,5,3", "L2,NONE,1,1", "RMS,NONE,28,28"})
    void patchMapEqualsOccludingEachPatchAndRescoring(NormKind norm, ReadoutKind readout, int k, int stride) {
        Gemm.init(1);
        FfModel m = tiny(norm, readout);
        float[] image = new float[784];
        TestData.mnistTest().head(3).copyPixels(2, image, 0);
        double[] img = new double[784];
        for (int i = 0; i < 784; i++) {
            img[i] = image[i];
        }
        int c = 7;
        int first = m.config().scoreLayers().first();
        float[] map = new float[784];
        try (FfRowForward fwd = new FfRowForward(m, 11)) {  // 11 rows per batch: several chunks
            new GoodnessOcclusion(fwd).patchMap(image, 0, c, k, stride, first, map);
        }
        double full = SaliencyReference.score(m, img, c, first);
        int[] starts = GoodnessOcclusion.patchStarts(k, stride);
        double[] total = new double[784];
        int[] covering = new int[784];
        for (int top : starts) {
            for (int left : starts) {
                double[] occluded = img.clone();
                for (int r = top; r < top + k; r++) {
                    for (int col = left; col < left + k; col++) {
                        if (r * 28 + col >= 10) {
                            occluded[r * 28 + col] = 0;
                        }
                    }
                }
                double drop = full - SaliencyReference.score(m, occluded, c, first);
                for (int r = top; r < top + k; r++) {
                    for (int col = left; col < left + k; col++) {
                        total[r * 28 + col] += drop;
                        covering[r * 28 + col]++;
                    }
                }
            }
        }
        int nonZero = 0;
        for (int i = 0; i < 784; i++) {
            assertEquals(true, covering[i] > 0, "pixel " + i + " is covered");
            double expected = i < 10 ? 0 : total[i] / covering[i];
            assertEquals(expected, map[i], 2e-4 * Math.max(1, Math.abs(full)), "pixel " + i);
            nonZero += map[i] != 0 ? 1 : 0;
        }
        assertEquals(true, nonZero > 20, "the map is not trivially zero: " + nonZero);
    }

    @org.junit.jupiter.api.Test
    void patchStartsCoverTheImageAndRejectGaps() {
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24}, GoodnessOcclusion.patchStarts(4, 2));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 3, 6, 9, 12, 15, 18, 21, 23}, GoodnessOcclusion.patchStarts(5, 3));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> GoodnessOcclusion.patchStarts(3, 4));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> GoodnessOcclusion.patchStarts(29, 1));
    }
}

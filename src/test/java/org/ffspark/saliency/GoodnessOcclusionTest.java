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
}

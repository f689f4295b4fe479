package org.ffspark.saliency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ffspark.TestData;
import org.ffspark.config.NormKind;
import org.ffspark.ff.FfModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The goodness gradient against central finite differences of the independent float64 score. */
class GoodnessGradientTest {
    @ParameterizedTest(name = "{0} from layer {1}, readout {2}")
    @CsvSource({"L2,0,NONE", "L2,1,NONE", "RMS,0,NONE", "L2,1,SOFTMAX", "RMS,1,SOFTMAX"})
    void gradientMatchesCentralDifference(NormKind norm, int firstLayer, org.ffspark.config.ReadoutKind readout) {
        FfModel m = GoodnessOcclusionTest.tiny(norm, readout);
        float[] image = new float[784];
        TestData.mnistTest().head(3).copyPixels(2, image, 0);
        double[] img = new double[784];
        for (int i = 0; i < 784; i++) {
            img[i] = image[i];
        }
        int c = 7;
        float[] grad = new float[784];
        double s = new GoodnessGradient(m).gradient(image, 0, c, firstLayer, grad);
        assertEquals(SaliencyReference.score(m, img, c, firstLayer), s, 1e-9 * Math.max(1, s));
        double eps = 1e-6;
        for (int i = 10; i < 784; i += 3) {
            double[] up = img.clone();
            double[] down = img.clone();
            up[i] += eps;
            down[i] -= eps;
            double numeric = (SaliencyReference.score(m, up, c, firstLayer) - SaliencyReference.score(m, down, c, firstLayer)) / (2 * eps);
            assertEquals(numeric, grad[i], 1e-4 * Math.max(1, Math.abs(numeric)), "pixel " + i);
        }
    }
}

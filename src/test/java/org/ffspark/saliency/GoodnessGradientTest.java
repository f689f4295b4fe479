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

    /** The batched float32 engine (GEMMs over rows of different images and labels) against the float64 one-row path. */
    @ParameterizedTest(name = "{0} from layer {1}, readout {2}")
    @CsvSource({"L2,0,NONE", "L2,1,NONE", "RMS,0,NONE", "L2,1,SOFTMAX", "RMS,1,SOFTMAX"})
    void batchedGradientMatchesTheFloat64OneRowGradient(NormKind norm, int firstLayer, org.ffspark.config.ReadoutKind readout) {
        org.ffspark.ff.Gemm.init(1);
        FfModel m = GoodnessOcclusionTest.tiny(norm, readout);
        int rows = 12;
        float[] images = new float[4 * 784];
        for (int k = 0; k < 4; k++) {
            TestData.mnistTest().copyPixels(k, images, k * 784);
        }
        int[] offsets = new int[rows];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            offsets[r] = (r % 4) * 784;
            labels[r] = (3 * r + 1) % 10;
        }
        float[] batched = new float[rows * 784];
        try (org.ffspark.ff.FfInputGradient g = new org.ffspark.ff.FfInputGradient(m, rows)) {
            g.gradients(images, offsets, labels, rows, firstLayer, batched);
        }
        GoodnessGradient one = new GoodnessGradient(m);
        float[] ref = new float[rows * 784];
        float max = 0;
        int nonTrivial = 0;
        for (int r = 0; r < rows; r++) {
            float[] row = new float[784];
            one.gradient(images, offsets[r], labels[r], firstLayer, row);
            System.arraycopy(row, 0, ref, r * 784, 784);
            float rowMax = 0;
            for (float f : row) {
                rowMax = Math.max(rowMax, Math.abs(f));
            }
            max = Math.max(max, rowMax);
            nonTrivial += rowMax > 0 ? 1 : 0;
        }
        org.junit.jupiter.api.Assertions.assertTrue(nonTrivial >= rows / 2, "non-trivial gradients: " + nonTrivial + " of " + rows);
        for (int i = 0; i < rows * 784; i++) {
            assertEquals(ref[i], batched[i], 2e-3 * max, "row " + i / 784 + " pixel " + i % 784);
        }
    }
}

package org.ffspark.saliency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ffspark.data.LabeledImages;
import org.ffspark.ff.FfInputGradient;
import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfScorer;
import org.ffspark.ff.Gemm;
import org.ffspark.ff.Rng;

/** The saliency rows of an FF model for a range of examples: pure computation, one engine per call. */
public final class FfSaliencyRows {
    private FfSaliencyRows() {}

    /** Rows of examples {@code [from, to)} of {@code set}: for each target label and method, the map and its curves. */
    public static List<SaliencyRow> of(FfModel model, LabeledImages set, int from, int to, List<SaliencyMethod> methods,
                                       SaliencyTarget target, long seed) {
        return of(model, set, from, to, null, methods, target, seed);
    }

    /** As above, example {@code from + i} having id {@code ids[i]} (null: ids are row indices in {@code set}). */
    public static List<SaliencyRow> of(FfModel model, LabeledImages set, int from, int to, long[] ids, List<SaliencyMethod> methods,
                                       SaliencyTarget target, long seed) {
        return of(model, set, from, to, ids, new SaliencySpec(methods, target, seed));
    }

    /** Rows of examples {@code [from, to)} as {@code spec} asks; example {@code from + i} has id {@code ids[i]} (null: row index). */
    public static List<SaliencyRow> of(FfModel model, LabeledImages set, int from, int to, long[] ids, SaliencySpec spec) {
        List<SaliencyMethod> methods = spec.methods();
        SaliencyTarget target = spec.target();
        long seed = spec.seed();
        Gemm.init(1);
        int n = to - from;
        float[] images = new float[n * 784];
        for (int i = 0; i < n; i++) {
            set.copyPixels(from + i, images, i * 784);
        }
        float[] scores = new float[n * 10];
        List<SaliencyRow> out = new ArrayList<>();
        try (FfScorer scorer = new FfScorer(model, 64); SaliencyMaps maps = new SaliencyMaps(model, 256, spec.patch(), spec.stride())) {
            scorer.score(images, 0, n, scores);
            Faithfulness faith = new Faithfulness(scorer);
            boolean gradient = methods.contains(SaliencyMethod.FF_GRADIENT) || methods.contains(SaliencyMethod.FF_GRADIENT_X_INPUT);
            int perExample = target.labels(0, 0).length;
            float[] grads = gradient ? gradients(model, set, from, images, scores, target, perExample) : null;
            for (int i = 0; i < n; i++) {
                long id = ids == null ? from + i : ids[i];
                int truth = set.label(from + i);
                int pred = FfScorer.argmax(scores, i);
                float[] sc = Arrays.copyOfRange(scores, i * 10, i * 10 + 10);
                int[] labels = target.labels(pred, truth);
                for (int t = 0; t < labels.length; t++) {
                    int c = labels[t];
                    int runnerUp = c == 0 ? 1 : 0;
                    for (int k = 0; k < 10; k++) {
                        if (k != c && sc[k] > sc[runnerUp]) {
                            runnerUp = k;
                        }
                    }
                    long exSeed = Rng.mix(seed, id, c);
                    for (SaliencyMethod m : methods) {
                        float[] map = new float[784];
                        if (m == SaliencyMethod.FF_GRADIENT || m == SaliencyMethod.FF_GRADIENT_X_INPUT) {
                            System.arraycopy(grads, (i * perExample + t) * 784, map, 0, 784);
                            if (m == SaliencyMethod.FF_GRADIENT_X_INPUT) {
                                for (int k = 0; k < 784; k++) {
                                    map[k] *= images[i * 784 + k];
                                }
                            }
                        } else {
                            maps.map(m, images, i * 784, c, runnerUp, exSeed, map);
                        }
                        float[] del = new float[Faithfulness.POINTS];
                        float[] ins = new float[Faithfulness.POINTS];
                        faith.curves(images, i * 784, map, c, exSeed, del, ins);
                        float[][] road = roadCurves(faith, spec, images, i * 784, map, c, exSeed);
                        // The paper's per-layer maps (section 3.4): every layer's own occlusion map, from the same pass.
                        float[][] layerMaps = m == SaliencyMethod.FF_OCCLUSION
                                ? Arrays.stream(maps.lastPerLayer()).map(float[]::clone).toArray(float[][]::new) : null;
                        out.add(SaliencyRow.of(id, truth, pred, sc, c, map, layerMaps, del, ins, road[0], road[1], m));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The FF_GRADIENT maps of every (example, target) pair of the slice, batched as matrix products
     * ({@link FfInputGradient}): pair (i, t) at {@code [(i * perExample + t) * 784 ..]}.
     */
    private static float[] gradients(FfModel model, LabeledImages set, int from, float[] images, float[] scores,
                                     SaliencyTarget target, int perExample) {
        int n = images.length / 784;
        int pairs = n * perExample;
        float[] out = new float[pairs * 784];
        int first = model.config().scoreLayers().first();
        try (FfInputGradient g = new FfInputGradient(model, Math.min(256, pairs))) {
            int[] offsets = new int[g.maxRows()];
            int[] labels = new int[g.maxRows()];
            float[] chunk = new float[g.maxRows() * 784];
            for (int start = 0; start < pairs; start += g.maxRows()) {
                int rows = Math.min(g.maxRows(), pairs - start);
                for (int r = 0; r < rows; r++) {
                    int i = (start + r) / perExample;
                    offsets[r] = i * 784;
                    labels[r] = target.labels(FfScorer.argmax(scores, i), set.label(from + i))[(start + r) % perExample];
                }
                g.gradients(images, offsets, labels, rows, first, chunk);
                System.arraycopy(chunk, 0, out, start * 784, rows * 784);
            }
        }
        return out;
    }

    /** The ROAD deletion and insertion curves of one map when {@code spec} asks for them, else {null, null}. */
    public static float[][] roadCurves(Faithfulness faith, SaliencySpec spec, float[] images, int off, float[] map, int target, long seed) {
        if (!spec.imputed()) {
            return new float[2][];
        }
        float[] del = new float[Faithfulness.POINTS];
        float[] ins = new float[Faithfulness.POINTS];
        faith.curves(images, off, map, target, seed, Faithfulness.Baseline.ROAD, del, ins);
        return new float[][] {del, ins};
    }
}

package org.ffspark.saliency;

import org.ffspark.ff.FfModel;
import org.ffspark.ff.FfRowForward;
import org.ffspark.ff.Rng;

/**
 * Computes any {@link SaliencyMethod}'s map for one image and target label, over the model's scored layers.
 * Owns its engines and buffers; single-threaded.
 */
public final class SaliencyMaps implements AutoCloseable {
    private final FfModel model;
    private final FfRowForward forward;
    private final GoodnessOcclusion occlusion;
    private final GoodnessGradient gradient;
    private final float[][] perLayer;
    private final float[][] perLayerOther;
    private final int firstScored;
    private final int patch;
    private final int stride;

    public SaliencyMaps(FfModel model, int maxRows) {
        this(model, maxRows, SaliencySpec.DEFAULT_PATCH, SaliencySpec.DEFAULT_STRIDE);
    }

    /** With the patch size and stride of {@link SaliencyMethod#FF_OCCLUSION_PATCH}. */
    public SaliencyMaps(FfModel model, int maxRows, int patch, int stride) {
        GoodnessOcclusion.patchStarts(patch, stride); // validates
        this.patch = patch;
        this.stride = stride;
        this.model = model;
        this.forward = new FfRowForward(model, maxRows);
        this.occlusion = new GoodnessOcclusion(forward);
        this.gradient = new GoodnessGradient(model);
        this.perLayer = new float[model.layout().layers()][784];
        this.perLayerOther = new float[model.layout().layers()][784];
        this.firstScored = model.config().scoreLayers().first();
    }

    /**
     * Writes the map of {@code method} into {@code out[784]}. {@code runnerUp} is the best label other than
     * {@code target} (used by the contrastive map); {@code randomSeed} seeds the random map.
     */
    public void map(SaliencyMethod method, float[] image, int off, int target, int runnerUp, long randomSeed, float[] out) {
        switch (method) {
            case FF_OCCLUSION -> {
                occlusion.perLayerMaps(image, off, target, perLayer);
                GoodnessOcclusion.sum(perLayer, firstScored, out);
            }
            case FF_OCCLUSION_PATCH -> occlusion.patchMap(image, off, target, patch, stride, firstScored, out);
            case FF_CONTRASTIVE -> {
                occlusion.perLayerMaps(image, off, target, perLayer);
                occlusion.perLayerMaps(image, off, runnerUp, perLayerOther);
                GoodnessOcclusion.sum(perLayer, firstScored, out);
                float[] other = new float[784];
                GoodnessOcclusion.sum(perLayerOther, firstScored, other);
                for (int i = 0; i < 784; i++) {
                    out[i] -= other[i];
                }
            }
            case FF_GRADIENT -> gradient.gradient(image, off, target, firstScored, out);
            case FF_GRADIENT_X_INPUT -> gradient.gradientTimesInput(image, off, target, firstScored, out);
            case RANDOM -> random(randomSeed, out);
            default -> throw new IllegalArgumentException(method.name());
        }
    }

    /** The RANDOM map: uniform values from {@code seed}, 0 on the label pixels 0..9 (which no ranking uses). */
    public static void random(long seed, float[] out) {
        Rng rng = new Rng(seed);
        for (int i = 0; i < 784; i++) {
            out[i] = i < 10 ? 0f : rng.nextFloat();
        }
    }

    /** The per-layer occlusion maps of the last FF_OCCLUSION or FF_CONTRASTIVE call (live). */
    public float[][] lastPerLayer() {
        return perLayer;
    }

    @Override
    public void close() {
        forward.close();
    }
}

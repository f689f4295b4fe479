package org.ffspark.saliency;

import java.util.List;

/**
 * What a saliency run computes for each example: the methods, the labels explained, the seed of the random map,
 * tie-breaking and ROAD's noise, the patch size and stride of {@link SaliencyMethod#FF_OCCLUSION_PATCH}, and whether
 * the faithfulness curves are also taken under ROAD's imputation baseline (besides the paper's zero baseline).
 */
public record SaliencySpec(List<SaliencyMethod> methods, SaliencyTarget target, long seed, int patch, int stride,
                           boolean imputed) implements java.io.Serializable {
    public static final int DEFAULT_PATCH = 4;
    public static final int DEFAULT_STRIDE = 2;

    public SaliencySpec {
        methods = List.copyOf(methods);
        GoodnessOcclusion.patchStarts(patch, stride); // validates
    }

    /** Default patch, zero baseline only. */
    public SaliencySpec(List<SaliencyMethod> methods, SaliencyTarget target, long seed) {
        this(methods, target, seed, DEFAULT_PATCH, DEFAULT_STRIDE, false);
    }

    public SaliencySpec withMethods(List<SaliencyMethod> m) {
        return new SaliencySpec(m, target, seed, patch, stride, imputed);
    }

    /** The baselines the curves are taken under: ZERO, and ROAD when {@link #imputed}. */
    public List<Faithfulness.Baseline> baselines() {
        return imputed ? List.of(Faithfulness.Baseline.ZERO, Faithfulness.Baseline.ROAD) : List.of(Faithfulness.Baseline.ZERO);
    }
}

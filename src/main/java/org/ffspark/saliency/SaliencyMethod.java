package org.ffspark.saliency;

/** The saliency maps ffspark computes (PAPER.md section 3) and the random floor for faithfulness (section 4). */
public enum SaliencyMethod {
    /** 3.1, the paper's method: goodness occlusion over the scored layers. */
    FF_OCCLUSION,
    /** 3.1's option: occlusion of k x k patches at a stride, spread back to pixels by averaging. */
    FF_OCCLUSION_PATCH,
    /** 3.2: occlusion evidence for the target against the best other label. */
    FF_CONTRASTIVE,
    /** 3.3: gradient of the FF score with respect to the input. */
    FF_GRADIENT,
    /** 3.3: gradient times input. */
    FF_GRADIENT_X_INPUT,
    /** Uniform random values: the floor every method must beat. */
    RANDOM,
    /** MLP baseline: gradient of the target's logit (or, as an option, its log-probability) with respect to the input. */
    MLP_GRADIENT,
    /** MLP baseline: gradient times input. */
    MLP_GRADIENT_X_INPUT,
    /** MLP baseline: integrated gradients from the all-zero baseline (32-step midpoint rule) times input. */
    MLP_INTEGRATED_GRADIENTS;

    /** Whether the method applies to an FF model (else to the MLP baseline; RANDOM to both). */
    public boolean forFf() {
        return !name().startsWith("MLP_");
    }

    public boolean forMlp() {
        return this == RANDOM || name().startsWith("MLP_");
    }
}

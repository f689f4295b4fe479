package org.ffspark.ff;

import org.ffspark.config.FfConfig;

/**
 * An FF network: its architecture and its parameters in one flat float buffer laid out by {@link FfLayout}.
 * The buffer is owned by the model and mutated in place by a trainer; copy it before sharing across threads.
 */
public final class FfModel {
    private final FfConfig config;
    private final FfLayout layout;
    private final float[] params;

    public FfModel(FfConfig config, float[] params) {
        this.config = config;
        this.layout = new FfLayout(config);
        if (params.length != layout.size()) {
            throw new IllegalArgumentException("parameter buffer holds " + params.length + " floats; "
                    + FfConfig.join(config.layerSizes()) + " needs " + layout.size());
        }
        this.params = params;
    }

    /**
     * A freshly initialised network: weights and biases uniform in {@code ±1/sqrt(fan_in)} (PyTorch's Linear
     * default), drawn from {@code Rng(seed)} in layout order.
     */
    public static FfModel initialise(FfConfig config, long seed) {
        FfLayout layout = new FfLayout(config);
        float[] p = new float[layout.size()];
        Rng rng = new Rng(Rng.mix(seed, 0x1417L));
        for (int l = 0; l < layout.layers(); l++) {
            float bound = (float) (1.0 / Math.sqrt(layout.in(l)));
            for (int i = layout.start(l); i < layout.end(l); i++) {
                p[i] = (2 * rng.nextFloat() - 1) * bound;
            }
        }
        return new FfModel(config, p);
    }

    /** Throws {@link org.ffspark.config.ConfigException} if any parameter is NaN or infinite (training diverged). */
    public void requireFiniteParameters() {
        for (int i = 0; i < params.length; i++) {
            if (!Float.isFinite(params[i])) {
                throw LayerStats.diverged("(parameter " + i + " is " + params[i] + ")");
            }
        }
    }

    public FfConfig config() {
        return config;
    }

    public FfLayout layout() {
        return layout;
    }

    /** The live parameter buffer (not a copy). */
    public float[] params() {
        return params;
    }
}

package org.ffspark.config;

import static org.ffspark.config.ConfigException.require;

import java.util.List;

/**
 * The architecture of an FF network and everything inference depends on: layer sizes (input first), goodness,
 * normalisation, threshold, the layers that are scored (or read out) and the prediction rule. Recorded in every model manifest.
 */
public record FfConfig(List<Integer> layerSizes, GoodnessKind goodness, NormKind norm, float threshold,
                       ScoreLayers scoreLayers, ReadoutKind readout) implements java.io.Serializable {
    public static final int INPUT_SIZE = 784;

    public FfConfig {
        layerSizes = List.copyOf(layerSizes);
        ConfigKeys.LAYERS.check(layerSizes);
        ConfigKeys.THRESHOLD.check(threshold);
        require(scoreLayers != ScoreLayers.SKIP_FIRST || layerSizes.size() >= 3, ConfigKeys.SCORE_LAYERS.name(), scoreLayers,
                "SKIP_FIRST needs at least two hidden layers");
    }

    /** The network without a readout (the goodness prediction rule). */
    public FfConfig(List<Integer> layerSizes, GoodnessKind goodness, NormKind norm, float threshold, ScoreLayers scoreLayers) {
        this(layerSizes, goodness, norm, threshold, scoreLayers, ReadoutKind.NONE);
    }

    /** Number of hidden (trained) layers. */
    public int hiddenLayers() {
        return layerSizes.size() - 1;
    }

    public int inputSize(int layer) {
        return layerSizes.get(layer);
    }

    public int outputSize(int layer) {
        return layerSizes.get(layer + 1);
    }

    public int maxWidth() {
        int m = 0;
        for (int i = 1; i < layerSizes.size(); i++) {
            m = Math.max(m, layerSizes.get(i));
        }
        return m;
    }

    public static String join(List<Integer> sizes) {
        return Param.joinInts(sizes);
    }
}

package org.ffspark.config;

import static org.ffspark.config.ConfigException.require;

import java.util.List;

/**
 * The architecture of an FF network and everything inference depends on: layer sizes (input first), goodness,
 * normalisation, threshold and the layers that are scored. Recorded in every model manifest.
 */
public record FfConfig(List<Integer> layerSizes, GoodnessKind goodness, NormKind norm, float threshold,
                       ScoreLayers scoreLayers) implements java.io.Serializable {
    public static final int INPUT_SIZE = 784;

    public FfConfig {
        layerSizes = List.copyOf(layerSizes);
        require(layerSizes.size() >= 2, "ff.layers", join(layerSizes),
                "give the input size and at least one hidden size, e.g. 784,500,500");
        require(layerSizes.get(0) == INPUT_SIZE, "ff.layers", join(layerSizes),
                "the first size is the input and must be 784 (28x28 images)");
        for (int s : layerSizes) {
            require(s >= 1, "ff.layers", join(layerSizes), "every size must be >= 1");
        }
        require(threshold > 0 && Float.isFinite(threshold), "ff.threshold", threshold,
                "must be a finite number > 0 (goodness is never negative)");
        require(scoreLayers != ScoreLayers.SKIP_FIRST || layerSizes.size() >= 3, "ff.score-layers", scoreLayers,
                "SKIP_FIRST needs at least two hidden layers");
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
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sizes.size(); i++) {
            b.append(i == 0 ? "" : ",").append(sizes.get(i));
        }
        return b.toString();
    }
}

package org.ffspark.baseline;

import java.util.List;
import java.util.Map;

import org.ffspark.io.ModelManifest;

/** The {@code manifest.json} of an MLP baseline model (schema {@code data-schemas/mlp-model-manifest.schema.json}). */
public record MlpManifest(String format, int formatVersion, Architecture architecture, Map<String, String> hyperParameters,
                          ModelManifest.Provenance provenance, Dl4j dl4j) {
    /** Hidden ReLU layers sized as {@code layerSizes}, a softmax output of {@code outputs} classes, cross-entropy. */
    public record Architecture(List<Integer> layerSizes, int outputs, String hiddenActivation, String output, String loss) {}

    /** DL4J's own model file (with the updater state) and its checksum. */
    public record Dl4j(String file, long bytes, String sha256) {}
}

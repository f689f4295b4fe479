package org.ffspark.io;

import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of an FF model directory (schema {@code data-schemas/model-manifest.schema.json}): the
 * architecture inference needs, the training configuration, where the model came from, and the parameter file.
 */
public record ModelManifest(String format, int formatVersion, Architecture architecture, Map<String, String> hyperParameters,
                            Provenance provenance, Parameters parameters) {
    /**
     * The network as inference needs it; {@code labelPixels}: how many leading pixels carry the label; {@code readout}:
     * the prediction rule (null in manifests written before it existed: NONE), also given in words.
     */
    public record Architecture(List<Integer> layerSizes, String goodness, String norm, float threshold, String scoreLayers,
                               int labelPixels, String readout, String predictionRule) {}

    /** Where a model came from (shared with the MLP baseline's manifest). */
    public record Provenance(long seed, String gitCommit, String runId, String createdAt, Map<String, String> dataChecksums) {}

    /** The parameter file: float32, little-endian, {@code count} values with this SHA-256. */
    public record Parameters(String file, String dtype, String byteOrder, long count, String sha256) {}

    /** The format field of any manifest, read before deciding which record it is. */
    public record Format(String format, int formatVersion) {}
}

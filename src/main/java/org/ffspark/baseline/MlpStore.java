package org.ffspark.baseline;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.ffspark.data.Checksums;
import org.ffspark.data.InputDataException;
import org.ffspark.io.Json;
import org.ffspark.io.ModelManifest;
import org.ffspark.io.ModelStore;
import org.ffspark.io.Storage;

/**
 * The MLP baseline's model directory: {@code mlp.zip} in DL4J's own format ({@link ModelSerializer}, with the
 * updater state) and {@code manifest.json} (schema {@code data-schemas/mlp-model-manifest.schema.json}) with the
 * architecture, hyper-parameters, provenance and the zip's SHA-256, verified on load.
 */
public final class MlpStore {
    public static final String FORMAT = "ffspark-mlp-model";
    public static final int FORMAT_VERSION = 1;
    public static final String ZIP = "mlp.zip";

    private MlpStore() {}

    /** A loaded network with its manifest. */
    public record Loaded(MultiLayerNetwork net, MlpManifest manifest, byte[] zip) {}

    /** True when {@code dir} holds an MLP baseline model (its manifest says so). */
    public static boolean isMlp(Storage storage, String dir) {
        Path mf = new Path(storage.path(dir), ModelStore.MANIFEST);
        return storage.exists(mf) && FORMAT.equals(Json.read(storage.readAll(mf), ModelManifest.Format.class, mf.toString()).format());
    }

    public static byte[] toBytes(MultiLayerNetwork net) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(net, b, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    public static MultiLayerNetwork fromBytes(byte[] zip, String file) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), true);
        } catch (IOException | RuntimeException e) {
            throw new InputDataException(file, "not a readable DL4J model: " + e.getMessage(), e);
        }
    }

    /** Writes {@code mlp.zip} and the manifest into {@code dir} (an {@link org.ffspark.io.AtomicOutput} directory). */
    public static void writeInto(Storage storage, MultiLayerNetwork net, List<Integer> layers, ModelStore.Provenance prov,
                                 double learningRate, int averagingPeriod, Path dir) {
        byte[] zip = toBytes(net);
        storage.writeAll(new Path(dir, ZIP), zip);
        Map<String, String> hp = new LinkedHashMap<>(prov.config());
        hp.put("mlp.learning-rate", Double.toString(learningRate));
        hp.put("mlp.averaging-period", Integer.toString(averagingPeriod));
        MlpManifest m = new MlpManifest(FORMAT, FORMAT_VERSION,
                new MlpManifest.Architecture(layers, 10, "RELU", "SOFTMAX", "MCXENT"), hp, ModelStore.provenance(prov),
                new MlpManifest.Dl4j(ZIP, zip.length, Checksums.sha256(zip)));
        storage.writeAll(new Path(dir, ModelStore.MANIFEST), Json.bytes(m));
    }

    public static Loaded read(Storage storage, String dir) {
        Path base = storage.path(dir);
        Path mfPath = new Path(base, ModelStore.MANIFEST);
        if (!storage.exists(mfPath)) {
            throw new InputDataException(dir, "not an ffspark model directory (no " + ModelStore.MANIFEST + ")");
        }
        byte[] bytes = storage.readAll(mfPath);
        ModelManifest.Format f = Json.read(bytes, ModelManifest.Format.class, mfPath.toString());
        Json.requireFormat(f.format(), f.formatVersion(), mfPath.toString(), FORMAT, FORMAT_VERSION);
        MlpManifest m = Json.read(bytes, MlpManifest.class, mfPath.toString());
        String expected = m.dl4j() == null ? null : m.dl4j().sha256();
        Path zipPath = new Path(base, ZIP);
        if (!storage.exists(zipPath)) {
            throw new InputDataException(zipPath.toString(), "model file missing");
        }
        byte[] zip = storage.readAll(zipPath);
        String sha = Checksums.sha256(zip);
        if (!sha.equals(expected)) {
            throw new InputDataException(zipPath.toString(), "checksum mismatch: file has sha256 " + sha + ", manifest says "
                    + expected + "; the file is corrupt");
        }
        return new Loaded(fromBytes(zip, zipPath.toString()), m, zip);
    }
}

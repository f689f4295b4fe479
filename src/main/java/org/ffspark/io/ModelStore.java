package org.ffspark.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import org.apache.hadoop.fs.Path;
import org.ffspark.config.ConfigException;
import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
import org.ffspark.config.ReadoutKind;
import org.ffspark.config.ScoreLayers;
import org.ffspark.data.Checksums;
import org.ffspark.data.InputDataException;
import org.ffspark.ff.FfModel;

/**
 * The ffspark model format (schema: {@code data-schemas/model-manifest.schema.json}): a directory holding
 * {@code manifest.json} (format version, architecture, hyper-parameters, provenance, parameter checksum) and
 * {@code params.bin} (the flat parameter buffer as little-endian float32, in {@code FfLayout} order).
 * Writing is atomic; reading verifies format, version, size and checksum and refuses anything else.
 */
public final class ModelStore {
    public static final String FORMAT = "ffspark-ff-model";
    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST = "manifest.json";
    public static final String PARAMS = "params.bin";

    /** Where a model came from: the effective config, data checksums, seed, code version and times. */
    public record Provenance(Map<String, String> config, Map<String, String> dataChecksums, long seed,
                             String gitCommit, String runId, String createdAt) {}

    /** A loaded model and its manifest. */
    public record Loaded(FfModel model, ModelManifest manifest) {}

    private ModelStore() {}

    /** Writes {@code model} to directory {@code dir} atomically. */
    public static void write(Storage storage, FfModel model, Provenance prov, String dir, boolean overwrite) {
        Path target = storage.path(dir);
        try (AtomicOutput out = AtomicOutput.begin(storage, target, prov.runId(), overwrite)) {
            writeInto(storage, model, prov, out.dir());
            out.commit();
        }
    }

    /** Writes manifest and parameters into an existing (temporary) directory. */
    public static void writeInto(Storage storage, FfModel model, Provenance prov, Path dir) {
        byte[] params = toBytes(model.params());
        storage.writeAll(new Path(dir, PARAMS), params);
        storage.writeAll(new Path(dir, MANIFEST), Json.bytes(manifest(model, prov, Checksums.sha256(params))));
    }

    static ModelManifest manifest(FfModel model, Provenance prov, String paramsSha) {
        FfConfig c = model.config();
        return new ModelManifest(FORMAT, FORMAT_VERSION,
                new ModelManifest.Architecture(c.layerSizes(), c.goodness().name(), c.norm().name(), c.threshold(),
                        c.scoreLayers().name(), 10, c.readout().name(), c.readout().predictionRule()),
                prov.config(), provenance(prov),
                new ModelManifest.Parameters(PARAMS, "float32", "little-endian", model.params().length, paramsSha));
    }

    /** The "provenance" object of a manifest (seed, git commit, run id, time, data checksums). */
    public static ModelManifest.Provenance provenance(Provenance prov) {
        return new ModelManifest.Provenance(prov.seed(), prov.gitCommit(), prov.runId(), prov.createdAt(), prov.dataChecksums());
    }

    /** Reads and verifies a model directory. */
    public static Loaded read(Storage storage, String dir) {
        Path base = storage.path(dir);
        Path manifestPath = new Path(base, MANIFEST);
        if (!storage.exists(manifestPath)) {
            throw new InputDataException(dir, "not an ffspark model directory (no " + MANIFEST + ")");
        }
        String mf = manifestPath.toString();
        byte[] manifestBytes = storage.readAll(manifestPath);
        ModelManifest.Format f = Json.read(manifestBytes, ModelManifest.Format.class, mf);
        Json.requireFormat(f.format(), f.formatVersion(), mf, FORMAT, FORMAT_VERSION);
        ModelManifest m = Json.read(manifestBytes, ModelManifest.class, mf);
        FfConfig config;
        try {
            ModelManifest.Architecture a = java.util.Objects.requireNonNull(m.architecture(), "no architecture");
            config = new FfConfig(a.layerSizes(), GoodnessKind.valueOf(a.goodness()), NormKind.valueOf(a.norm()),
                    a.threshold(), ScoreLayers.valueOf(a.scoreLayers()),
                    a.readout() == null ? ReadoutKind.NONE : ReadoutKind.valueOf(a.readout()));
        } catch (IllegalArgumentException | NullPointerException | ConfigException e) {
            throw new InputDataException(mf, "invalid architecture: " + e.getMessage(), e);
        }
        ModelManifest.Parameters p = m.parameters() != null ? m.parameters()
                : new ModelManifest.Parameters(null, null, null, -1, null);
        if (!"float32".equals(p.dtype()) || !"little-endian".equals(p.byteOrder())) {
            throw new InputDataException(mf, "parameters must be float32 little-endian, found "
                    + p.dtype() + " " + p.byteOrder());
        }
        Path paramsPath = new Path(base, p.file() != null ? p.file() : PARAMS);
        if (!storage.exists(paramsPath)) {
            throw new InputDataException(paramsPath.toString(), "parameter file missing");
        }
        byte[] bytes = storage.readAll(paramsPath);
        long count = p.count();
        if (bytes.length != count * 4) {
            throw new InputDataException(paramsPath.toString(), "holds " + bytes.length + " bytes, manifest says "
                    + count + " float32 parameters (" + count * 4 + " bytes)");
        }
        String sha = Checksums.sha256(bytes);
        if (!sha.equals(p.sha256())) {
            throw new InputDataException(paramsPath.toString(), "checksum mismatch: file has sha256 " + sha
                    + ", manifest says " + p.sha256() + "; the file is corrupt");
        }
        float[] params = fromBytes(bytes);
        try {
            return new Loaded(new FfModel(config, params), m);
        } catch (IllegalArgumentException e) {
            throw new InputDataException(mf, "architecture does not match the parameters: " + e.getMessage(), e);
        }
    }

    /** The parameters of an existing model as a warm start; its architecture must be {@code expected}. */
    public static FfModel readWarmStart(Storage storage, String dir, FfConfig expected) {
        FfModel m = read(storage, dir).model();
        if (!m.config().equals(expected)) {
            throw new ConfigException("ff.*: the configured network " + expected + " differs from the warm-start model "
                    + dir + " (" + m.config() + "); train from scratch or use that model's ff settings");
        }
        return m;
    }

    static byte[] toBytes(float[] params) {
        ByteBuffer b = ByteBuffer.allocate(params.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(params);
        return b.array();
    }

    static float[] fromBytes(byte[] bytes) {
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}

package org.ffspark.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.Path;
import org.ffspark.config.ConfigException;
import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
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
    public record Loaded(FfModel model, JsonNode manifest) {}

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

    static ObjectNode manifest(FfModel model, Provenance prov, String paramsSha) {
        FfConfig c = model.config();
        ObjectNode m = Json.object();
        m.put("format", FORMAT);
        m.put("formatVersion", FORMAT_VERSION);
        ObjectNode arch = m.putObject("architecture");
        ArrayNode layers = arch.putArray("layerSizes");
        c.layerSizes().forEach(layers::add);
        arch.put("goodness", c.goodness().name());
        arch.put("norm", c.norm().name());
        arch.put("threshold", c.threshold());
        arch.put("scoreLayers", c.scoreLayers().name());
        arch.put("labelPixels", 10);
        ObjectNode hp = m.putObject("hyperParameters");
        prov.config().forEach(hp::put);
        putProvenance(m, prov);
        ObjectNode p = m.putObject("parameters");
        p.put("file", PARAMS);
        p.put("dtype", "float32");
        p.put("byteOrder", "little-endian");
        p.put("count", model.params().length);
        p.put("sha256", paramsSha);
        return m;
    }

    /** Writes the "provenance" object of a manifest (seed, git commit, run id, time, data checksums). */
    public static void putProvenance(ObjectNode manifest, Provenance prov) {
        ObjectNode pv = manifest.putObject("provenance");
        pv.put("seed", prov.seed());
        pv.put("gitCommit", prov.gitCommit());
        pv.put("runId", prov.runId());
        pv.put("createdAt", prov.createdAt());
        ObjectNode data = pv.putObject("dataChecksums");
        prov.dataChecksums().forEach(data::put);
    }

    /** Reads and verifies a model directory. */
    public static Loaded read(Storage storage, String dir) {
        Path base = storage.path(dir);
        Path manifestPath = new Path(base, MANIFEST);
        if (!storage.exists(manifestPath)) {
            throw new InputDataException(dir, "not an ffspark model directory (no " + MANIFEST + ")");
        }
        String mf = manifestPath.toString();
        JsonNode m = Json.parse(storage.readAll(manifestPath), mf);
        Json.requireFormat(m, mf, FORMAT, FORMAT_VERSION);
        FfConfig config;
        try {
            JsonNode a = m.path("architecture");
            List<Integer> sizes = new ArrayList<>();
            a.path("layerSizes").forEach(n -> sizes.add(n.asInt()));
            config = new FfConfig(sizes, GoodnessKind.valueOf(a.path("goodness").asText()),
                    NormKind.valueOf(a.path("norm").asText()), (float) a.path("threshold").asDouble(),
                    ScoreLayers.valueOf(a.path("scoreLayers").asText()));
        } catch (IllegalArgumentException | ConfigException e) {
            throw new InputDataException(mf, "invalid architecture: " + e.getMessage(), e);
        }
        JsonNode p = m.path("parameters");
        if (!"float32".equals(p.path("dtype").asText()) || !"little-endian".equals(p.path("byteOrder").asText())) {
            throw new InputDataException(mf, "parameters must be float32 little-endian, found "
                    + p.path("dtype").asText() + " " + p.path("byteOrder").asText());
        }
        Path paramsPath = new Path(base, p.path("file").asText(PARAMS));
        if (!storage.exists(paramsPath)) {
            throw new InputDataException(paramsPath.toString(), "parameter file missing");
        }
        byte[] bytes = storage.readAll(paramsPath);
        long count = p.path("count").asLong(-1);
        if (bytes.length != count * 4) {
            throw new InputDataException(paramsPath.toString(), "holds " + bytes.length + " bytes, manifest says "
                    + count + " float32 parameters (" + count * 4 + " bytes)");
        }
        String sha = Checksums.sha256(bytes);
        if (!sha.equals(p.path("sha256").asText())) {
            throw new InputDataException(paramsPath.toString(), "checksum mismatch: file has sha256 " + sha
                    + ", manifest says " + p.path("sha256").asText() + "; the file is corrupt");
        }
        float[] params = fromBytes(bytes);
        try {
            return new Loaded(new FfModel(config, params), m);
        } catch (IllegalArgumentException e) {
            throw new InputDataException(mf, "architecture does not match the parameters: " + e.getMessage(), e);
        }
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

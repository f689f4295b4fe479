package org.ffspark.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.ffspark.SchemaCheck;
import org.ffspark.config.ConfigException;
import org.ffspark.config.FfConfig;
import org.ffspark.config.GoodnessKind;
import org.ffspark.config.NormKind;
import org.ffspark.config.ScoreLayers;
import org.ffspark.data.InputDataException;
import org.ffspark.ff.FfModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    private static final FfConfig CFG = new FfConfig(List.of(784, 20, 10), GoodnessKind.SUM_SQUARES, NormKind.RMS, 3.5f, ScoreLayers.SKIP_FIRST);

    static ModelStore.Provenance prov() {
        return new ModelStore.Provenance(Map.of("train.seed", "7"), Map.of("train-images-idx3-ubyte", "ab"), 7L, "abc", "run-1", "2026-01-01T00:00:00Z");
    }

    static Path write(Path dir) {
        FfModel m = FfModel.initialise(CFG, 7);
        m.params()[3] = Float.MIN_VALUE;  // a subnormal must survive too
        m.params()[4] = -0f;
        ModelStore.write(Storage.local(), m, prov(), dir.resolve("model").toString(), false);
        return dir.resolve("model");
    }

    @Test
    void roundTripIsBitExact(@TempDir Path dir) {
        FfModel m = FfModel.initialise(CFG, 7);
        m.params()[3] = Float.MIN_VALUE;
        m.params()[4] = -0f;
        Path p = write(dir);
        FfModel back = ModelStore.read(Storage.local(), p.toString()).model();
        assertEquals(CFG, back.config());
        int[] a = new int[m.params().length];
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Float.floatToRawIntBits(m.params()[i]);
            b[i] = Float.floatToRawIntBits(back.params()[i]);
        }
        assertArrayEquals(a, b);
        assertFalse(Files.exists(dir.resolve("model.tmp-run-1")), "no temporary directory left");
    }

    @Test
    void aReadoutModelRecordsItsPredictionRuleAndReadsBackWithItsReadoutWeights(@TempDir Path dir) throws Exception {
        FfConfig cfg = new FfConfig(List.of(784, 20, 10), GoodnessKind.SUM_SQUARES, NormKind.RMS, 3.5f, ScoreLayers.SKIP_FIRST,
                org.ffspark.config.ReadoutKind.SOFTMAX);
        FfModel m = FfModel.initialise(cfg, 7);
        assertEquals(new FfModel(CFG, new float[m.params().length - 110]).params().length + 110, m.params().length,
                "the readout adds 10 x 10 weights and 10 biases");
        m.params()[m.params().length - 1] = 0.25f;
        Path p = dir.resolve("readout");
        ModelStore.write(Storage.local(), m, prov(), p.toString(), false);
        ModelStore.Loaded back = ModelStore.read(Storage.local(), p.toString());
        assertEquals(cfg, back.model().config());
        assertEquals(0.25f, back.model().params()[m.params().length - 1]);
        assertEquals("SOFTMAX", back.manifest().architecture().readout());
        assertTrue(back.manifest().architecture().predictionRule().startsWith("softmax readout"));
        assertEquals(List.of(), SchemaCheck.violations(SchemaCheck.schema("model-manifest.schema.json"), SchemaCheck.json(p.resolve("manifest.json"))));
        // A manifest written before the readout existed has no such field: the goodness rule.
        Path old = write(dir);
        Path mf = old.resolve("manifest.json");
        Files.writeString(mf, Files.readString(mf).replaceAll(",\\s*\"readout\" : \"NONE\"", "")
                .replaceAll(",\\s*\"predictionRule\" : \"[^\"]*\"", ""));
        assertFalse(Files.readString(mf).contains("readout"));
        assertEquals(org.ffspark.config.ReadoutKind.NONE, ModelStore.read(Storage.local(), old.toString()).model().config().readout());
    }

    @Test
    void manifestMatchesItsSchema(@TempDir Path dir) {
        Path p = write(dir);
        List<String> v = SchemaCheck.violations(SchemaCheck.schema("model-manifest.schema.json"), SchemaCheck.json(p.resolve("manifest.json")));
        assertEquals(List.of(), v);
    }

    @Test
    void rejectsFlippedByteInParameters(@TempDir Path dir) throws Exception {
        Path p = write(dir);
        byte[] b = Files.readAllBytes(p.resolve("params.bin"));
        b[b.length / 2] ^= 0x01;
        Files.write(p.resolve("params.bin"), b);
        InputDataException e = assertThrows(InputDataException.class, () -> ModelStore.read(Storage.local(), p.toString()));
        assertTrue(e.getMessage().contains("params.bin: checksum mismatch"), e.getMessage());
    }

    @Test
    void rejectsTruncatedParameters(@TempDir Path dir) throws Exception {
        Path p = write(dir);
        byte[] b = Files.readAllBytes(p.resolve("params.bin"));
        Files.write(p.resolve("params.bin"), java.util.Arrays.copyOf(b, b.length - 4));
        InputDataException e = assertThrows(InputDataException.class, () -> ModelStore.read(Storage.local(), p.toString()));
        assertTrue(e.getMessage().contains("params.bin: holds " + (b.length - 4) + " bytes"), e.getMessage());
    }

    @Test
    void rejectsUnknownFormatVersion(@TempDir Path dir) throws Exception {
        Path p = write(dir);
        Path mf = p.resolve("manifest.json");
        Files.writeString(mf, Files.readString(mf).replace("\"formatVersion\" : 1", "\"formatVersion\" : 99"));
        InputDataException e = assertThrows(InputDataException.class, () -> ModelStore.read(Storage.local(), p.toString()));
        assertTrue(e.getMessage().contains("manifest.json: formatVersion 99 is not supported"), e.getMessage());
    }

    @Test
    void rejectsArchitectureThatDoesNotMatchParameters(@TempDir Path dir) throws Exception {
        Path p = write(dir);
        Path mf = p.resolve("manifest.json");
        Files.writeString(mf, Files.readString(mf).replaceFirst("20,", "21,").replaceFirst("20(\\s*,)", "21$1"));
        InputDataException e = assertThrows(InputDataException.class, () -> ModelStore.read(Storage.local(), p.toString()));
        assertTrue(e.getMessage().contains("manifest.json: architecture does not match the parameters"), e.getMessage());
    }

    @Test
    void rejectsDirectoryWithoutManifest(@TempDir Path dir) {
        InputDataException e = assertThrows(InputDataException.class, () -> ModelStore.read(Storage.local(), dir.toString()));
        assertTrue(e.getMessage().contains("not an ffspark model directory"), e.getMessage());
    }

    @Test
    void refusesExistingOutputWithoutOverwriteAndReplacesWithIt(@TempDir Path dir) {
        Path p = write(dir);
        FfModel other = FfModel.initialise(CFG, 8);
        assertThrows(ConfigException.class, () -> ModelStore.write(Storage.local(), other, prov(), p.toString(), false));
        ModelStore.write(Storage.local(), other, prov(), p.toString(), true);
        assertArrayEquals(other.params(), ModelStore.read(Storage.local(), p.toString()).model().params());
    }
}

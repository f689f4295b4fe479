package org.ffspark.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.hadoop.fs.Path;
import org.ffspark.data.InputDataException;
import org.ffspark.io.Json;
import org.ffspark.io.Storage;

/**
 * A model registry on any Hadoop FS: versioned directories {@code versions/vNNNNNN/} (model, its run directory,
 * evaluations, and for champions the saliency maps and report) plus {@code registry.json} (schema
 * {@code data-schemas/model-registry.schema.json}) listing every registered version with its metrics, data
 * checksums, config and code version, and naming the champion. {@code registry.json} is only ever replaced
 * whole and atomically, so a crash at any point leaves the previous registry and champion in force; a version
 * directory that a crashed run left behind is not in the registry and its number is never reused.
 */
public final class ModelRegistry {
    public static final String FILE = "registry.json";
    public static final String FORMAT = "ffspark-model-registry";
    public static final int FORMAT_VERSION = 1;
    public static final String LOCK = "retrain.lock";

    private final Storage storage;
    private final Path root;
    private RegistryRecord doc;

    private ModelRegistry(Storage storage, Path root, RegistryRecord doc) {
        this.storage = storage;
        this.root = root;
        this.doc = doc;
    }

    /** Opens the registry at {@code root}; a missing registry is an empty one (created at the first commit). */
    public static ModelRegistry open(Storage storage, String root) {
        Path base = storage.path(root);
        Path file = new Path(base, FILE);
        if (!storage.exists(file)) {
            return new ModelRegistry(storage, base, new RegistryRecord(FORMAT, FORMAT_VERSION, null, List.of(), null));
        }
        byte[] bytes = storage.readAll(file);
        JsonNode d = Json.parse(bytes, file.toString());
        Json.requireFormat(d, file.toString(), FORMAT, FORMAT_VERSION);
        if (!d.path("versions").isArray()) {
            throw new InputDataException(file.toString(), "field 'versions' must be an array");
        }
        ModelRegistry r = new ModelRegistry(storage, base, Json.read(bytes, RegistryRecord.class, file.toString()));
        String champion = r.doc.champion();
        if (champion != null && r.find(champion).isEmpty()) {
            throw new InputDataException(file.toString(), "champion '" + champion + "' is not among the versions");
        }
        return r;
    }

    public Path root() {
        return root;
    }

    public Path lockFile() {
        return new Path(root, LOCK);
    }

    /** The registry document as it is. */
    public RegistryRecord document() {
        return doc;
    }

    public Optional<RegistryRecord.Version> champion() {
        return doc.champion() == null ? Optional.empty() : find(doc.champion());
    }

    public Optional<RegistryRecord.Version> find(String version) {
        return doc.versions().stream().filter(v -> version.equals(v.version())).findFirst();
    }

    public static String versionId(int number) {
        return String.format("v%06d", number);
    }

    public Path versionDir(String version) {
        return new Path(new Path(root, "versions"), version);
    }

    /** The model directory of a version. */
    public Path modelDir(String version) {
        return new Path(versionDir(version), "model");
    }

    /**
     * The next version number: one past every number in the registry and every {@code versions/v*} directory,
     * so the leftovers of a crashed run (reported to {@code warn}) are never overwritten or reused.
     */
    public int nextNumber(Consumer<String> warn) {
        int max = 0;
        for (RegistryRecord.Version v : doc.versions()) {
            max = Math.max(max, v.number());
        }
        for (Path p : storage.list(new Path(root, "versions"))) {
            String name = p.getName();
            if (name.matches("v\\d{6}.*")) {
                int n = Integer.parseInt(name.substring(1, 7));
                if (find(name.substring(0, 7)).isEmpty()) {
                    warn.accept(p + ": left by an unfinished retrain, not registered; its number is skipped");
                }
                max = Math.max(max, n);
            }
        }
        return max + 1;
    }

    /**
     * Registers {@code entry}; with {@code promote} it becomes the champion and the previous champion is marked
     * "retired", otherwise it is a "candidate". Writes registry.json atomically.
     */
    public void register(RegistryRecord.Version entry, boolean promote, String runId) {
        List<RegistryRecord.Version> versions = new ArrayList<>();
        for (RegistryRecord.Version v : doc.versions()) {
            versions.add(promote && v.version().equals(doc.champion()) ? v.withStatus("retired") : v);
        }
        versions.add(entry.withStatus(promote ? "champion" : "candidate"));
        RegistryRecord next = new RegistryRecord(FORMAT, FORMAT_VERSION, promote ? entry.version() : doc.champion(), versions,
                java.time.Instant.now().toString());
        storage.mkdirs(root);
        storage.writeAtomically(new Path(root, FILE), Json.bytes(next), runId);
        doc = next;
    }
}

package org.ffspark.registry;

import java.util.List;
import java.util.Map;

/** {@code registry.json} (schema {@code data-schemas/model-registry.schema.json}): every version, and the champion. */
public record RegistryRecord(String format, int formatVersion, String champion, List<Version> versions, String updatedAt) {
    /**
     * One registered version: where it came from, how it was trained, how it scored against the champion of its
     * time, and its status (champion, candidate or retired). {@code parent}, {@code championTestAccuracy} and
     * {@code report} are null when there was no champion or no report.
     */
    public record Version(String version, int number, String createdAt, String runId, String gitCommit, String parent,
                          boolean warmStart, String model, String trainData, Map<String, String> dataChecksums,
                          Map<String, String> config, double testAccuracy, Double championTestAccuracy, double tolerance,
                          String decision, String report, double seconds, String status) {
        Version withStatus(String s) {
            return new Version(version, number, createdAt, runId, gitCommit, parent, warmStart, model, trainData,
                    dataChecksums, config, testAccuracy, championTestAccuracy, tolerance, decision, report, seconds, s);
        }
    }
}

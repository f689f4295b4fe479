package org.ffspark.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.apache.hadoop.fs.Path;
import org.ffspark.config.ConfigException;
import org.ffspark.config.ConfigKeys;
import org.ffspark.config.Param;
import org.ffspark.config.TrainFfConfig;

/**
 * The resume policy of a Spark run: what decides its result besides its state (recorded in every checkpoint), and
 * the rule that a resumed run continues with the settings it was started with, or it would not end where the
 * uninterrupted run ends.
 */
public final class RunSettings {
    private RunSettings() {}

    /** The configuration (without the checkpoint cadence and retention), the partition count and the training data's checksums. */
    public static Map<String, String> of(TrainFfConfig cfg, int partitions, Map<String, String> checksums) {
        Map<String, String> m = new TreeMap<>(cfg.toMap());
        // The checkpoint cadence and retention do not change the result.
        m.remove(ConfigKeys.CHECKPOINT_EVERY.name());
        m.remove(ConfigKeys.CHECKPOINT_KEEP.name());
        m.remove(ConfigKeys.CHECKPOINT_PERMANENT_EVERY.name());
        m.put("spark.partitions", Integer.toString(partitions));
        checksums.forEach((k, v) -> m.put("data." + k, v));
        return m;
    }

    /**
     * Refuses to resume from {@code ck} with other settings than {@code now}, naming each difference;
     * {@code allow} (--allow-config-change) turns the refusal into a warning.
     */
    public static void requireSame(CheckpointStore.Checkpoint ck, Map<String, String> now, boolean allow, Path runPath,
                                   Consumer<String> warn) {
        if (ck.settings().isEmpty()) {
            warn.accept(runPath + ": the checkpoint of round " + (ck.round() + 1) + " does not record its settings; not checked");
            return;
        }
        Map<String, String> was = currentNames(ck.settings(), now.keySet());
        Set<String> keys = new TreeSet<>(was.keySet());
        keys.addAll(now.keySet());
        List<String> diffs = new ArrayList<>();
        for (String k : keys) {
            if (!Objects.equals(was.get(k), now.get(k))) {
                diffs.add(k + " " + was.get(k) + " -> " + now.get(k));
            }
        }
        if (diffs.isEmpty()) {
            return;
        }
        String msg = "the run in " + runPath + " was started with other settings (" + String.join(", ", diffs) + ")";
        if (!allow) {
            throw new ConfigException("--resume: " + msg + "; resume with the same settings, or pass --allow-config-change"
                    + " to continue anyway (the result then differs from an uninterrupted run)");
        }
        warn.accept(msg + "; continuing with the new ones (--allow-config-change)");
    }

    /**
     * An older checkpoint's settings under today's key names (renamed keys are recorded under their former names),
     * with the declared default for a key it does not record: keys are added with defaults that keep earlier runs
     * unchanged.
     */
    public static Map<String, String> currentNames(Map<String, String> recorded, Set<String> now) {
        Map<String, String> m = new TreeMap<>();
        recorded.forEach((k, v) -> {
            Param<?> p = ConfigKeys.byNameOrFormer(k);
            m.put(p == null ? k : p.name(), v);
        });
        for (String k : now) {
            Param<?> p = ConfigKeys.byNameOrFormer(k);
            if (!m.containsKey(k) && p != null) {
                m.put(k, formatDefault(p));
            }
        }
        return m;
    }

    private static <T> String formatDefault(Param<T> p) {
        return p.format(p.defaultTyped());
    }
}

package org.ffspark.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.hadoop.fs.Path;
import org.ffspark.data.IdxReader;
import org.ffspark.data.InputDataException;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.Split;

/**
 * Reads one split of an MNIST-style data set from a directory on any Hadoop file system. The directory holds
 * the standard IDX files, each gzip-compressed ({@code .gz}) or raw.
 */
public final class IdxDataset {
    /** The images and labels of a split, with the SHA-256 of each decompressed file. */
    public record Loaded(LabeledImages images, Map<String, String> checksums) {}

    private IdxDataset() {}

    public static Loaded read(Storage storage, String dir, Split split) {
        Path base = storage.path(dir);
        if (!storage.exists(base)) {
            throw new InputDataException(dir, "data directory not found; run 'ffspark fetch-data' or give --data");
        }
        Path images = find(storage, base, split.imagesFile());
        Path labels = find(storage, base, split.labelsFile());
        IdxReader.Parsed px;
        IdxReader.Parsed lb;
        try (InputStream in = storage.open(images)) {
            px = IdxReader.parseImages(in, images.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(images + ": " + e.getMessage(), e);
        }
        try (InputStream in = storage.open(labels)) {
            lb = IdxReader.parseLabels(in, labels.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(labels + ": " + e.getMessage(), e);
        }
        LabeledImages data = IdxReader.pair(base.getName() + "/" + split.id(), px.data(), images.toString(), lb.data(), labels.toString());
        Map<String, String> sums = new LinkedHashMap<>();
        sums.put(split.imagesFile(), px.sha256());
        sums.put(split.labelsFile(), lb.sha256());
        return new Loaded(data, sums);
    }

    private static Path find(Storage storage, Path base, String name) {
        Path gz = new Path(base, name + ".gz");
        if (storage.exists(gz)) {
            return gz;
        }
        Path raw = new Path(base, name);
        if (storage.exists(raw)) {
            return raw;
        }
        throw new InputDataException(new Path(base, name).toString(), "missing (looked for " + name + ".gz and " + name
                + "); run 'ffspark fetch-data' or check --data");
    }
}

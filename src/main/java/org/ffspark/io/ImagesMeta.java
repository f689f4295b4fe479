package org.ffspark.io;

import java.util.Map;

/**
 * The {@code _ffspark.json} beside an ingested Parquet data set (schema {@code data-schemas/images-meta.schema.json}):
 * where the images came from, the SHA-256 of each source IDX file (decompressed) and the rows per split. Its
 * presence is what marks a directory as an ingested data set.
 */
public record ImagesMeta(String format, int formatVersion, String source, String runId, Map<String, String> checksums,
                         long trainRows, long testRows) {
    public static final String FILE = "_ffspark.json";
    public static final String FORMAT = "ffspark-images";
    public static final int VERSION = 1;

    /** Reads the file of the data set at {@code dir}; a malformed file is a bad-input error naming it. */
    public static ImagesMeta read(Storage storage, String dir) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(storage.path(dir), FILE);
        ImagesMeta m = Json.read(storage.readAll(p), ImagesMeta.class, p.toString());
        Json.requireFormat(m.format(), m.formatVersion(), p.toString(), FORMAT, VERSION);
        return m;
    }

    /** Whether {@code dir} is an ingested Parquet data set (it has this file). */
    public static boolean isIngested(Storage storage, String dir) {
        return storage.exists(new org.apache.hadoop.fs.Path(storage.path(dir), FILE));
    }
}

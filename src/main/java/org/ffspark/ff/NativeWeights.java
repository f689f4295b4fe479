package org.ffspark.ff;

/**
 * The native-memory mirror of a model's flat parameter buffer, read by the GEMMs. The heap buffer stays the
 * master copy; {@link #sync} copies a range after it changes. One per engine, not thread safe.
 */
final class NativeWeights implements AutoCloseable {
    private final FfModel model;
    private final NativeFloats mirror;

    NativeWeights(FfModel model) {
        this.model = model;
        this.mirror = new NativeFloats(model.layout().size());
        syncAll();
    }

    FfModel model() {
        return model;
    }

    NativeFloats buffer() {
        return mirror;
    }

    void syncAll() {
        mirror.put(0, model.params(), 0, model.params().length);
    }

    /** Copies parameters {@code [from, to)} from the heap buffer; disjoint ranges may be copied concurrently. */
    void sync(int from, int to) {
        mirror.put(from, model.params(), from, to - from);
    }

    @Override
    public void close() {
        mirror.close();
    }
}

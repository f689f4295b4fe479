package org.ffspark.ff;

import org.bytedeco.javacpp.FloatPointer;

/**
 * A fixed-size float buffer in native memory, the operand type of {@link Gemm}. Owned by one engine object,
 * allocated once, freed on {@link #close()}. Concurrent reads are safe; concurrent writes to overlapping ranges are not.
 */
final class NativeFloats implements AutoCloseable {
    private final FloatPointer ptr;
    private final long capacity;

    NativeFloats(long capacity) {
        this.capacity = Math.max(1, capacity);
        this.ptr = new FloatPointer(this.capacity);
    }

    long capacity() {
        return capacity;
    }

    /** Copies {@code src[srcOff .. srcOff+len)} to this buffer at {@code at}. */
    void put(long at, float[] src, int srcOff, int len) {
        check(at, len);
        ptr.getPointer(at).put(src, srcOff, len);
    }

    /** Copies {@code len} floats from this buffer at {@code at} into {@code dst[dstOff ..)}. */
    void get(long at, float[] dst, int dstOff, int len) {
        check(at, len);
        ptr.getPointer(at).get(dst, dstOff, len);
    }

    /**
     * A new pointer object to element {@code at}. A fresh object, not a repositioned shared one: two threads
     * may read the same buffer (the weights) through GEMMs at the same time.
     */
    FloatPointer at(long at) {
        check(at, 0);
        return ptr.getPointer(at);
    }

    private void check(long at, long len) {
        if (at < 0 || len < 0 || at + len > capacity) {
            throw new IndexOutOfBoundsException("native buffer of " + capacity + " floats: [" + at + ", " + (at + len) + ")");
        }
    }

    @Override
    public void close() {
        ptr.close();
    }
}

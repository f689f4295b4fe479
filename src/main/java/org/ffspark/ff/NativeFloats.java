package org.ffspark.ff;

import java.nio.FloatBuffer;

import org.bytedeco.javacpp.FloatPointer;

/**
 * A fixed-size float buffer in native memory, the operand type of {@link Gemm}. Owned by one engine object,
 * allocated once, freed on {@link #close()}. Concurrent reads are safe; concurrent writes to overlapping ranges are not.
 *
 * <p>Copies to and from heap arrays go through a direct {@link FloatBuffer} view made once (absolute bulk
 * get/put: a memory copy, no JNI call, no object). JavaCPP's {@code getPointer(i).put(...)} builds a pointer by
 * reflection and crosses JNI on every call; the engine makes hundreds of such copies per step (the gradient and
 * weights stream through the optimizer in 2048-float blocks).
 */
final class NativeFloats implements AutoCloseable {
    private final FloatPointer ptr;
    /** The same memory as a buffer, when it fits one (at most {@code Integer.MAX_VALUE} bytes); else null. */
    private final FloatBuffer view;
    private final long capacity;

    NativeFloats(long capacity) {
        this(capacity, true);
    }

    /** {@code bufferView = false} forces the pointer path that buffers over 2 GB take (for tests). */
    NativeFloats(long capacity, boolean bufferView) {
        this.capacity = Math.max(1, capacity);
        this.ptr = new FloatPointer(this.capacity);
        this.view = bufferView && this.capacity * Float.BYTES <= Integer.MAX_VALUE ? ptr.asBuffer() : null;
    }

    long capacity() {
        return capacity;
    }

    /** Copies {@code src[srcOff .. srcOff+len)} to this buffer at {@code at}. */
    void put(long at, float[] src, int srcOff, int len) {
        check(at, len);
        if (view != null) {
            view.put((int) at, src, srcOff, len);
        } else {
            ptr.getPointer(at).put(src, srcOff, len);
        }
    }

    /** Copies {@code len} floats from this buffer at {@code at} into {@code dst[dstOff ..)}. */
    void get(long at, float[] dst, int dstOff, int len) {
        check(at, len);
        if (view != null) {
            view.get((int) at, dst, dstOff, len);
        } else {
            ptr.getPointer(at).get(dst, dstOff, len);
        }
    }

    /**
     * A new pointer object to element {@code at}. A fresh object, not a repositioned shared one: two threads
     * may read the same buffer (the weights) through GEMMs at the same time.
     */
    FloatPointer at(long at) {
        check(at, 0);
        return new FloatPointer(ptr).position(at); // getPointer(at) would find this constructor by reflection
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

package org.ffspark.ff;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Bulk Java serialisation of float arrays, for the objects Spark ships every averaging round (the training state,
 * partial sums, per-worker optimizer state): {@code ObjectOutputStream} writes a {@code float[]} one element at a
 * time, several times slower (docs/performance.md). Format: the length as an int ({@code -1} for null), then the
 * raw floats in 64 KB little-endian blocks.
 */
public final class FloatArrays {
    private static final int BLOCK_BYTES = 1 << 16;

    private FloatArrays() {}

    public static void write(ObjectOutput out, float[] a) throws IOException {
        if (a == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(a.length);
        byte[] buf = new byte[Math.min(BLOCK_BYTES, 4 * a.length)];
        FloatBuffer fb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int per = buf.length / 4;
        for (int i = 0; i < a.length; i += per) {
            int n = Math.min(per, a.length - i);
            fb.clear();
            fb.put(a, i, n);
            out.write(buf, 0, 4 * n);
        }
    }

    public static float[] read(ObjectInput in) throws IOException {
        int len = in.readInt();
        if (len < -1) {
            throw new java.io.StreamCorruptedException("float array of length " + len);
        }
        if (len == -1) {
            return null;
        }
        float[] a = new float[len];
        byte[] buf = new byte[Math.min(BLOCK_BYTES, 4 * len)];
        FloatBuffer fb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int per = buf.length / 4;
        for (int i = 0; i < len; i += per) {
            int n = Math.min(per, len - i);
            in.readFully(buf, 0, 4 * n);
            fb.clear();
            fb.get(a, i, n);
        }
        return a;
    }
}

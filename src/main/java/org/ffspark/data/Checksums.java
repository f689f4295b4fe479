package org.ffspark.data;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 helpers: the checksums that data sets, models and run records carry. */
public final class Checksums {
    private Checksums() {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    public static String sha256(byte[] bytes) {
        return hex(sha256().digest(bytes));
    }

    /** SHA-256 of everything left in {@code in} (not closed). */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return hex(md.digest());
    }

    public static String hex(byte[] digest) {
        StringBuilder b = new StringBuilder(digest.length * 2);
        for (byte x : digest) {
            b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return b.toString();
    }
}

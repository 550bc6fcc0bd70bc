package io.bulwark.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;

/** Deterministic generated bodies of any size, and counting/checksumming them, without holding them. */
public final class Bytes {
    private Bytes() {}

    /** Size and CRC-32 of a stream of bytes. */
    public record Digest(long length, long crc) {}

    /** Writes {@code length} pseudo-random bytes derived from {@code seed}; returns their digest. */
    public static Digest generate(OutputStream out, long length, long seed) throws IOException {
        byte[] block = new byte[64 * 1024];
        CRC32 crc = new CRC32();
        long x = seed | 1;
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(block.length, left);
            for (int i = 0; i < n; i += 8) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                for (int k = 0; k < 8 && i + k < n; k++) {
                    block[i + k] = (byte) (x >>> (8 * k));
                }
            }
            out.write(block, 0, n);
            crc.update(block, 0, n);
            left -= n;
        }
        out.flush();
        return new Digest(length, crc.getValue());
    }

    /** Reads the stream to its end; returns what went by. */
    public static Digest digest(InputStream in) throws IOException {
        byte[] block = new byte[64 * 1024];
        CRC32 crc = new CRC32();
        long total = 0;
        int n;
        while ((n = in.read(block)) > 0) {
            crc.update(block, 0, n);
            total += n;
        }
        return new Digest(total, crc.getValue());
    }

    /** The digest {@link #generate} would return, computed without a stream. */
    public static Digest expected(long length, long seed) {
        try {
            return generate(OutputStream.nullOutputStream(), length, seed);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}

package io.bulwark.testing;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** The next {@code length} bytes of a stream, without closing it; for Content-Length bodies. */
final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int c = in.read();
        if (c < 0) {
            throw new EOFException("EOF with " + remaining + " body bytes to go");
        }
        remaining--;
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("EOF with " + remaining + " body bytes to go");
        }
        remaining -= n;
        return n;
    }
}

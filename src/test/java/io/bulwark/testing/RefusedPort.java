package io.bulwark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port that refuses connections for as long as this is open. The port is bound but never
 * listened on: a port merely closed again is free, and the next listener bound to port 0 (the gateway under
 * test, say) may be handed it, which turns "connection refused" into a connection to that listener.
 */
public final class RefusedPort implements AutoCloseable {
    private final Socket holder = new Socket();

    public RefusedPort() {
        try {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return holder.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
    }

    @Override
    public void close() throws IOException {
        holder.close();
    }
}

package io.bulwark.config;

import java.net.InetSocketAddress;

/** A host (name or literal IP) and a port, as written in the config. */
public record HostPort(String host, int port) {
    /** An unresolved socket address; resolution happens once, where the address is used. */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}

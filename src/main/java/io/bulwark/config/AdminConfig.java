package io.bulwark.config;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The admin listener: health endpoints and the API (servers, VRRP).
 *
 * @param token what a caller of the API must present ({@code Authorization: Bearer ...}); without one,
 *     the API changes nothing unless the listener is on loopback
 */
public record AdminConfig(HostPort bind, Optional<String> token) {
    public AdminConfig {
        token = token == null ? Optional.empty() : token;
    }

    public AdminConfig(HostPort bind) {
        this(bind, Optional.empty());
    }

    /** Whether the listener can be reached from this host only: its address resolves to a loopback one. */
    public boolean onLoopback() {
        InetAddress a = bind.toSocketAddress().getAddress(); // null when the name does not resolve
        return a != null && a.isLoopbackAddress();
    }

    /** The token stays out of logs and messages that print the config. */
    @Override
    public String toString() {
        return "AdminConfig[bind=" + bind + ", token=" + (token.isPresent() ? "(set)" : "(none)") + "]";
    }
}

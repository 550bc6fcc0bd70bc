package io.bulwark.config;

import java.time.Duration;

/**
 * One data-plane listening socket and the limits it applies to its clients.
 *
 * @param headerTimeout how long a client may take to send a complete request head
 * @param idleTimeout how long a keep-alive (or upgraded) connection may sit with no traffic
 * @param maxRequestLine longest request line accepted (414 beyond)
 * @param maxHeaderSize largest total header block accepted (431 beyond)
 * @param reusePort with several workers on epoll or io_uring, whether each worker listens on the address
 *     itself (SO_REUSEPORT) rather than one socket accepting for all of them
 * @param deferAccept on epoll or io_uring, whether the kernel hands a connection over only once its first
 *     bytes have arrived (TCP_DEFER_ACCEPT, nginx's {@code listen ... deferred}), so accepting it and reading
 *     its request take one wake-up; one that sends nothing is handed over after about a second
 * @param paths how request paths are normalised before routing and forwarding
 */
public record ListenerConfig(
        String name,
        HostPort bind,
        Duration headerTimeout,
        Duration idleTimeout,
        int maxRequestLine,
        int maxHeaderSize,
        boolean reusePort,
        boolean deferAccept,
        PathRules paths) {

    /** A listener with the defaults {@code reuse_port: true} and {@code defer_accept: true}. */
    public ListenerConfig(String name, HostPort bind, Duration headerTimeout, Duration idleTimeout,
            int maxRequestLine, int maxHeaderSize) {
        this(name, bind, headerTimeout, idleTimeout, maxRequestLine, maxHeaderSize, true);
    }

    /** A listener with the default {@code defer_accept: true}. */
    public ListenerConfig(String name, HostPort bind, Duration headerTimeout, Duration idleTimeout,
            int maxRequestLine, int maxHeaderSize, boolean reusePort) {
        this(name, bind, headerTimeout, idleTimeout, maxRequestLine, maxHeaderSize, reusePort, true);
    }

    /** A listener with the default path rules ({@link PathRules#DEFAULT}). */
    public ListenerConfig(String name, HostPort bind, Duration headerTimeout, Duration idleTimeout,
            int maxRequestLine, int maxHeaderSize, boolean reusePort, boolean deferAccept) {
        this(name, bind, headerTimeout, idleTimeout, maxRequestLine, maxHeaderSize, reusePort, deferAccept,
                PathRules.DEFAULT);
    }
}

/**
 * The Netty data plane: listeners, the downstream handler that forwards one request at a time, request targets
 * read and routed on their normalised path, per-loop upstream connection pools, strict HTTP/1.1 framing,
 * Upgrade tunnels, and the {@link io.bulwark.proxy.Failure}
 * taxonomy that decides what the client gets when a server fails. Entry point: {@link io.bulwark.proxy.ProxyServer}.
 */
package io.bulwark.proxy;

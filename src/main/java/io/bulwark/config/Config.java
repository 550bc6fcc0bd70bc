package io.bulwark.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A whole validated configuration. Every instance that exists is valid: the loader either returns one or
 * throws {@link ConfigException} listing every problem.
 *
 * @param source the file it came from, for messages
 * @param workers number of event loops for the data plane
 * @param transport the socket layer of every event loop
 * @param upstreams by name, in file order
 * @param vrrp built-in failover; {@link VrrpConfig#none()} when the file has no {@code vrrp:} section
 * @param events the event journal; {@link EventsConfig#DEFAULT} without an {@code events:} section
 * @param monitor host and peer checks by name, in file order; empty without a {@code monitor:} section
 * @param alerts the alarms; {@link AlertsConfig#NONE} without an {@code alerts:} section
 */
public record Config(
        Path source,
        int workers,
        TransportChoice transport,
        List<ListenerConfig> listeners,
        List<RouteConfig> routes,
        Map<String, UpstreamConfig> upstreams,
        AdminConfig admin,
        AccessLogConfig accessLog,
        VrrpConfig vrrp,
        EventsConfig events,
        Map<String, MonitorCheckConfig> monitor,
        AlertsConfig alerts) {

    /** With the default event journal, as before {@code events:} existed. */
    public Config(Path source, int workers, TransportChoice transport, List<ListenerConfig> listeners,
            List<RouteConfig> routes, Map<String, UpstreamConfig> upstreams, AdminConfig admin,
            AccessLogConfig accessLog, VrrpConfig vrrp) {
        this(source, workers, transport, listeners, routes, upstreams, admin, accessLog, vrrp, EventsConfig.DEFAULT,
                Map.of(), AlertsConfig.NONE);
    }

    /** Without failover, as before {@code vrrp:} existed. */
    public Config(Path source, int workers, List<ListenerConfig> listeners, List<RouteConfig> routes,
            Map<String, UpstreamConfig> upstreams, AdminConfig admin, AccessLogConfig accessLog) {
        this(source, workers, TransportChoice.AUTO, listeners, routes, upstreams, admin, accessLog, VrrpConfig.none());
    }
}

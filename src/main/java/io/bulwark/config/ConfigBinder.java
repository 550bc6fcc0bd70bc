package io.bulwark.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Binds the top level by handing each section to its binder. A new section (health_check, retry, vrrp, ...)
 * is one more binder and one more line here.
 */
final class ConfigBinder {
    static final int MAX_WORKERS = 256;

    private static final Map<String, TransportChoice> TRANSPORTS = Arrays.stream(TransportChoice.values())
            .collect(Collectors.toMap(TransportChoice::configName, Function.identity(), (a, b) -> a, LinkedHashMap::new));

    private ConfigBinder() {}

    /** A config whose fields may be {@code null} where a problem was recorded; use it only if there were none. */
    static Config bind(Node root, Path source, Problems problems) {
        Value top = new Value(root, "", problems);
        return top.section("a mapping with listeners, routes and upstreams").map(s -> {
            int workers = s.integer("workers", 1, MAX_WORKERS, defaultWorkers());
            TransportChoice transport = s.choice("transport", TRANSPORTS, TransportChoice.AUTO);
            List<ListenerConfig> listeners = s.required("listeners", "a list of listeners")
                    .map(ListenerBinder::bindAll)
                    .orElse(List.of());
            // Upstreams first, whatever the file order, so routes can be checked against them.
            var upstreamsValue = s.required("upstreams", "a mapping from upstream name to upstream");
            Map<String, UpstreamConfig> upstreams =
                    upstreamsValue.<Map<String, UpstreamConfig>>map(UpstreamBinder::bindAll).orElse(Map.of());
            boolean upstreamsUsable = upstreamsValue.isPresent() && !upstreams.isEmpty();
            List<RouteConfig> routes = s.required("routes", "a list of routes")
                    .map(v -> RouteBinder.bindAll(v, upstreamsUsable ? upstreams.keySet() : null))
                    .orElse(List.of());
            AdminConfig admin = s.optional("admin").map(AdminBinder::bind).orElse(AdminBinder.DEFAULT);
            AccessLogConfig accessLog =
                    s.optional("access_log").map(AccessLogBinder::bind).orElse(AccessLogBinder.DEFAULT);
            Map<String, MonitorCheckConfig> monitor = s.optional("monitor").map(MonitorBinder::bindAll).orElse(Map.of());
            VrrpConfig vrrp = s.optional("vrrp").map(v -> VrrpBinder.bind(v, new VrrpBinder.Known(
                    listeners.stream().map(ListenerConfig::name).toList(), upstreams.keySet(), monitor.keySet())))
                    .orElse(VrrpConfig.none());
            EventsConfig events = s.optional("events").map(EventsBinder::bind).orElse(EventsConfig.DEFAULT);
            AlertsConfig alerts = s.optional("alerts").map(AlertsBinder::bind).orElse(AlertsConfig.NONE);
            s.finish();
            return new Config(source, workers, transport, List.copyOf(listeners), List.copyOf(routes), upstreams, admin,
                    accessLog, vrrp, events, monitor, alerts);
        }).orElse(null);
    }

    static int defaultWorkers() {
        return Math.min(MAX_WORKERS, Runtime.getRuntime().availableProcessors());
    }
}

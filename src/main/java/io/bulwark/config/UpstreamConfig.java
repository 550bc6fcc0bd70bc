package io.bulwark.config;

import java.time.Duration;
import java.util.List;

/**
 * A named pool of servers and how to talk to them.
 *
 * @param keepalive idle pooled connections kept per server (per event loop)
 * @param keepaliveTimeout how long an idle pooled connection is kept before it is closed
 */
public record UpstreamConfig(
        String name,
        Balance balance,
        Duration connectTimeout,
        Duration readTimeout,
        Duration writeTimeout,
        int keepalive,
        Duration keepaliveTimeout,
        List<ServerConfig> servers) {}

package io.bulwark.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A named pool of servers and how to talk to them.
 *
 * @param keepalive idle pooled connections kept per server (per event loop)
 * @param keepaliveTimeout how long an idle pooled connection is kept before it is closed
 * @param healthCheck active checks; empty means none (servers stay up unless passive signals say otherwise)
 * @param passive outlier ejection from real traffic; empty means only each server's max_fails applies
 * @param slowStart a server coming back ramps from 10 % to full weight over this; zero is off
 * @param recovery whether a server that checks took down comes back by itself
 * @param retry when a failed request is tried on another server; {@link RetryConfig#DEFAULT} when not written
 * @param panicThresholdPercent below this share of eligible primaries (and no eligible backup), spread over
 *     every primary rather than crush the survivors; 0 is off
 */
public record UpstreamConfig(
        String name,
        Balance balance,
        Duration connectTimeout,
        Duration readTimeout,
        Duration writeTimeout,
        int keepalive,
        Duration keepaliveTimeout,
        List<ServerConfig> servers,
        Optional<HealthCheckConfig> healthCheck,
        Optional<PassiveConfig> passive,
        Duration slowStart,
        Recovery recovery,
        RetryConfig retry,
        int panicThresholdPercent) {

    /** An upstream without health checks, passive ejection or slow start, recovering automatically, default retries. */
    public UpstreamConfig(
            String name,
            Balance balance,
            Duration connectTimeout,
            Duration readTimeout,
            Duration writeTimeout,
            int keepalive,
            Duration keepaliveTimeout,
            List<ServerConfig> servers) {
        this(name, balance, connectTimeout, readTimeout, writeTimeout, keepalive, keepaliveTimeout, servers,
                Optional.empty(), Optional.empty(), Duration.ZERO, Recovery.AUTO, RetryConfig.DEFAULT, 0);
    }
}

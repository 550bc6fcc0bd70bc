package io.bulwark.config;

import java.util.Optional;

/**
 * Maps requests to an upstream by host and path prefix.
 *
 * @param host {@code *}, an exact host name, or {@code *.example.com}
 * @param pathPrefix a path prefix starting with {@code /}
 * @param upstream the name of an upstream that exists in the same config
 * @param retry the route's own retry block, replacing the upstream's as a whole; empty uses the upstream's
 */
public record RouteConfig(String name, String host, String pathPrefix, String upstream, Optional<RetryConfig> retry) {

    /** A route that retries as its upstream says. */
    public RouteConfig(String name, String host, String pathPrefix, String upstream) {
        this(name, host, pathPrefix, upstream, Optional.empty());
    }
}

package io.bulwark.config;

/**
 * Maps requests to an upstream by host and path prefix.
 *
 * @param host {@code *}, an exact host name, or {@code *.example.com}
 * @param pathPrefix a path prefix starting with {@code /}
 * @param upstream the name of an upstream that exists in the same config
 */
public record RouteConfig(String name, String host, String pathPrefix, String upstream) {}

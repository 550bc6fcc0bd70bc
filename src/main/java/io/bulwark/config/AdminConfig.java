package io.bulwark.config;

/** The admin listener (health endpoints now, API and dashboard later). */
public record AdminConfig(HostPort bind) {}

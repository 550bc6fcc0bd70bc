package io.bulwark.config;

/**
 * One backend server of an upstream.
 *
 * @param weight relative share of traffic, 1..1000
 * @param backup used only while no primary server is eligible
 */
public record ServerConfig(HostPort address, int weight, boolean backup) {}

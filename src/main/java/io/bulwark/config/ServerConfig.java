package io.bulwark.config;

import java.time.Duration;

/**
 * One backend server of an upstream.
 *
 * @param weight relative share of traffic, 1..1000
 * @param backup used only while no primary server is eligible
 * @param maxFails nginx semantics: this many failed requests within {@code failTimeout} make the server
 *     unavailable for {@code failTimeout}; 0 disables
 * @param failTimeout the window for counting {@code maxFails}, and how long the server is then left out
 * @param down nginx's {@code down}: out of rotation from the start (admin state maint) until an operator
 *     makes it ready through the admin API
 */
public record ServerConfig(HostPort address, int weight, boolean backup, int maxFails, Duration failTimeout,
        boolean down) {
    /** nginx's defaults. */
    public static final int DEFAULT_MAX_FAILS = 1;
    /** nginx's defaults. */
    public static final Duration DEFAULT_FAIL_TIMEOUT = Duration.ofSeconds(10);

    /** A server with nginx's default {@code max_fails} and {@code fail_timeout}. */
    public ServerConfig(HostPort address, int weight, boolean backup) {
        this(address, weight, backup, DEFAULT_MAX_FAILS, DEFAULT_FAIL_TIMEOUT);
    }

    /** A server in rotation from the start. */
    public ServerConfig(HostPort address, int weight, boolean backup, int maxFails, Duration failTimeout) {
        this(address, weight, backup, maxFails, failTimeout, false);
    }
}

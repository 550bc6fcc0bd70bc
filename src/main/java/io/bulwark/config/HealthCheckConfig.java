package io.bulwark.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An upstream's active health check: how to probe each server and how many results move it up or down.
 *
 * @param path http: request path
 * @param method http: request method
 * @param host http: Host header; empty means the server's address
 * @param expectStatus http: statuses that pass
 * @param expectBody http: a substring the first bytes of the body must contain, if present
 * @param command exec: the plugin's argv, {@code {host}} and {@code {port}} still unsubstituted; empty otherwise
 * @param timeout connect plus response time allowed for one check, at most {@code interval}
 * @param rise consecutive passes that bring a down server up
 * @param fall consecutive failures that take an up server down
 * @param fastInterval between checks while a server is changing state (some passes or failures counted)
 * @param downInterval between checks while a server is down
 * @param jitterPercent each delay is spread by up to this share either way, so checks do not align
 */
public record HealthCheckConfig(
        CheckType type,
        String path,
        String method,
        Optional<String> host,
        StatusRanges expectStatus,
        Optional<String> expectBody,
        List<String> command,
        Duration interval,
        Duration timeout,
        int rise,
        int fall,
        Duration fastInterval,
        Duration downInterval,
        int jitterPercent) {}

package io.bulwark.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * When and how a failed request is tried again on another server ({@code retry:} of an upstream or a
 * route; a route's block replaces its upstream's as a whole). Whatever this says, a retry also needs that
 * no response byte reached the client, that the body is held whole ({@code retryBufferBytes}), and that the
 * request never reached the server or its method is idempotent.
 *
 * @param retryOn the failures that may be retried; default {@code [connect_failure, reset, timeout]}, what
 *     nginx's {@code proxy_next_upstream error timeout} covers ("error" includes a reset before the head)
 * @param attempts tries in all, the first included; 1 turns retries off; default 2
 * @param perTryTimeout the read timeout of each try; empty means the upstream's {@code read_timeout}
 * @param timeout deadline across all tries until the response head; {@link Duration#ZERO} is off (default)
 * @param backoff base of the exponential back-off with full jitter between tries; zero (default) retries at
 *     once; at most 1s
 * @param budgetPercent retries allowed as a share of requests over a sliding 10 s window; default 20
 * @param budgetMinPerSecond retries always allowed per second on top of the share; default 10
 * @param retryBufferBytes request bodies up to this size are held for replay; larger ones are not retried
 *     (except a connect failure before any of the body was read); default 64k
 */
public record RetryConfig(
        Set<RetryOn> retryOn,
        int attempts,
        Optional<Duration> perTryTimeout,
        Duration timeout,
        Duration backoff,
        int budgetPercent,
        int budgetMinPerSecond,
        int retryBufferBytes) {

    /** The block every upstream has when it writes none. */
    public static final RetryConfig DEFAULT = new RetryConfig(
            Set.of(RetryOn.CONNECT_FAILURE, RetryOn.RESET, RetryOn.TIMEOUT), 2, Optional.empty(), Duration.ZERO,
            Duration.ZERO, 20, 10, 64 * 1024);

    public RetryConfig {
        retryOn = Set.copyOf(retryOn);
    }
}

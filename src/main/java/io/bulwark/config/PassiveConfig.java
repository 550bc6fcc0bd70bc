package io.bulwark.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Passive detection from real traffic: servers failing consecutive requests are ejected for a while, and,
 * with {@code outlier:}, servers whose success rate or latency stands out from their peers'.
 *
 * @param consecutiveFailures failures in a row that eject a server; 0 disables consecutive ejection
 * @param failureStatuses response statuses that count as failures (connect errors, resets and timeouts always do)
 * @param ejectionTime base ejection; the n-th ejection in a row lasts n times this
 * @param maxEjectionTime cap on one ejection
 * @param maxEjectionPercent at most this share of the upstream's servers is ejected at once; one always stays
 * @param outlier statistical outlier detection; empty is off
 */
public record PassiveConfig(
        int consecutiveFailures,
        Set<Integer> failureStatuses,
        Duration ejectionTime,
        Duration maxEjectionTime,
        int maxEjectionPercent,
        Optional<OutlierConfig> outlier) {

    /** Without statistical outlier detection, as before {@code outlier:} existed. */
    public PassiveConfig(int consecutiveFailures, Set<Integer> failureStatuses, Duration ejectionTime,
            Duration maxEjectionTime, int maxEjectionPercent) {
        this(consecutiveFailures, failureStatuses, ejectionTime, maxEjectionTime, maxEjectionPercent,
                Optional.empty());
    }
}

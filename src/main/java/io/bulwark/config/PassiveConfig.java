package io.bulwark.config;

import java.time.Duration;
import java.util.Set;

/**
 * Outlier detection from real traffic: servers failing consecutive requests are ejected for a while.
 *
 * @param consecutiveFailures failures in a row that eject a server; 0 disables consecutive ejection
 * @param failureStatuses response statuses that count as failures (connect errors, resets and timeouts always do)
 * @param ejectionTime base ejection; the n-th ejection in a row lasts n times this
 * @param maxEjectionTime cap on one ejection
 * @param maxEjectionPercent at most this share of the upstream's servers is ejected at once; one always stays
 */
public record PassiveConfig(
        int consecutiveFailures,
        Set<Integer> failureStatuses,
        Duration ejectionTime,
        Duration maxEjectionTime,
        int maxEjectionPercent) {}

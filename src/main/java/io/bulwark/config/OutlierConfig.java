package io.bulwark.config;

import java.time.Duration;

/**
 * Statistical outlier detection, after Envoy's success-rate detector: every {@code interval}, each server's
 * success rate and mean latency over that window are compared with its peers', and a server that is worse by
 * more than the given number of standard deviations is ejected through the passive ejection path.
 *
 * @param interval the window; each evaluation looks at the requests since the previous one
 * @param minRequests requests a server needs in the window to be judged (and to count as a peer)
 * @param minHosts servers with enough requests needed for any judgement; at least 3, so a server always has
 *     two peers to take a standard deviation from
 * @param successRateStdev eject when the success rate is below the peers' mean by more than this many
 *     standard deviations; 0 turns success-rate detection off
 * @param latencyStdev eject when the mean latency is above the peers' mean by more than this many standard
 *     deviations; 0 turns latency detection off
 * @param minLatencyGap ...and only when it is at least this much slower than the peers' mean
 */
public record OutlierConfig(
        Duration interval,
        int minRequests,
        int minHosts,
        double successRateStdev,
        double latencyStdev,
        Duration minLatencyGap) {

    /** What {@code outlier: {}} means. */
    public static final OutlierConfig DEFAULTS =
            new OutlierConfig(Duration.ofSeconds(10), 100, 3, 1.9, 3.0, Duration.ofMillis(20));

    public OutlierConfig {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: positive)");
        }
        if (minRequests < 1) {
            throw new IllegalArgumentException("min_requests: " + minRequests + " (expected: at least 1)");
        }
        if (minHosts < 3) {
            throw new IllegalArgumentException("min_hosts: " + minHosts + " (expected: at least 3)");
        }
        if (!(successRateStdev >= 0) || Double.isInfinite(successRateStdev)) {
            throw new IllegalArgumentException("success_rate_stdev: " + successRateStdev + " (expected: 0 or more)");
        }
        if (!(latencyStdev >= 0) || Double.isInfinite(latencyStdev)) {
            throw new IllegalArgumentException("latency_stdev: " + latencyStdev + " (expected: 0 or more)");
        }
        if (minLatencyGap.isNegative()) {
            throw new IllegalArgumentException("min_latency_gap: " + minLatencyGap + " (expected: 0 or more)");
        }
    }
}

package io.bulwark.monitor;

import java.time.Duration;

/**
 * How one check is scheduled and confirmed: Nagios's {@code check_interval}, {@code retry_interval},
 * {@code max_check_attempts} and flap thresholds for a service. (Whom to tell, and how often, is the alarms'.)
 *
 * @param checkInterval between checks while the state is OK or HARD
 * @param retryInterval between checks while a problem is SOFT, being confirmed
 * @param maxCheckAttempts results in a row that make a problem HARD; 1 makes the first problem HARD at once
 * @param lowFlapThreshold percent state change at or below which a flapping check has stopped flapping
 * @param highFlapThreshold percent state change at or above which a check has started flapping
 */
public record CheckRules(
        Duration checkInterval, Duration retryInterval, int maxCheckAttempts, double lowFlapThreshold,
        double highFlapThreshold) {

    public CheckRules {
        requirePositive("checkInterval", checkInterval);
        requirePositive("retryInterval", retryInterval);
        if (maxCheckAttempts < 1) {
            throw new IllegalArgumentException("maxCheckAttempts: " + maxCheckAttempts + " (expected: at least 1)");
        }
        requirePercent("lowFlapThreshold", lowFlapThreshold);
        requirePercent("highFlapThreshold", highFlapThreshold);
        // Equal thresholds would leave no band between starting and stopping, and a check near them would
        // start and stop flapping on every result.
        if (lowFlapThreshold >= highFlapThreshold) {
            throw new IllegalArgumentException("lowFlapThreshold: " + lowFlapThreshold
                    + " (expected: below highFlapThreshold " + highFlapThreshold + ")");
        }
    }

    /**
     * Nagios's sample service: checked every 5 minutes, retried every minute, HARD after 3 attempts, flapping
     * from 50 % state change until it falls to 25 %.
     */
    public static CheckRules defaults() {
        return new CheckRules(Duration.ofMinutes(5), Duration.ofMinutes(1), 3, 25.0, 50.0);
    }

    private static void requirePositive(String field, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + ": " + d + " (expected: a positive duration)");
        }
    }

    private static void requirePercent(String field, double percent) {
        if (!(percent >= 0.0 && percent <= 100.0)) {
            throw new IllegalArgumentException(field + ": " + percent + " (expected: a percent 0..100)");
        }
    }
}

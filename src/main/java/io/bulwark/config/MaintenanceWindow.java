package io.bulwark.config;

import java.time.Instant;
import java.util.List;

/**
 * A time during which the alarms say nothing about some sources (planned work): problems are still tracked
 * and journaled, and one still lasting when the window ends is told then.
 *
 * @param sources patterns as in {@link AlertRuleConfig#sources()}
 * @param reason why, for the journal
 */
public record MaintenanceWindow(List<String> sources, Instant from, Instant until, String reason) {
    public MaintenanceWindow {
        sources = List.copyOf(sources);
    }
}

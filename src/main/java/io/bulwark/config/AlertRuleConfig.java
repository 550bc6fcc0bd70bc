package io.bulwark.config;

import io.bulwark.core.Severity;
import java.time.Duration;
import java.util.List;

/**
 * Which events go to which channels: the sources it covers (patterns like {@code upstream/*} or
 * {@code monitor/cpu_load}), the least severity, and Nagios's re-notification and escalation.
 *
 * @param sources patterns of event sources; {@code *} matches within a path segment, {@code **} across them
 * @param minSeverity the least severity told (recoveries of what was told are told too)
 * @param notificationInterval re-notify a lasting problem this often; zero tells it once
 * @param recoveries whether the end of a problem is told
 * @param escalateAfter notifications about one problem after which the escalation channels are told too (0: off)
 * @param escalateAfterTime how long a problem may last before the escalation channels are told too (0: off)
 * @param escalateTo the channels told once a problem escalates
 */
public record AlertRuleConfig(List<String> sources, Severity minSeverity, List<String> channels,
        Duration notificationInterval, boolean recoveries, int escalateAfter, Duration escalateAfterTime,
        List<String> escalateTo) {
    public AlertRuleConfig {
        sources = List.copyOf(sources);
        channels = List.copyOf(channels);
        escalateTo = List.copyOf(escalateTo);
    }
}

package io.bulwark.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alarms: channels, the rules that route events to them, maintenance windows, and how delivery holds up.
 *
 * @param node the gateway's name in every alert (default: the host name)
 * @param dashboard a link every alert carries, or empty
 * @param groupWait events arriving within this of the first make one alert
 * @param queue alerts waiting per channel, at most
 * @param retryInitial the first wait before a failed delivery is tried again (doubling, with jitter)
 * @param retryMax the longest wait between tries
 * @param spoolDir where waiting alerts are kept so a restart loses none; empty keeps them in memory
 */
public record AlertsConfig(String node, String dashboard, Duration groupWait, int queue, Duration retryInitial,
        Duration retryMax, Optional<Path> spoolDir, Map<String, AlertChannelConfig> channels,
        List<AlertRuleConfig> rules, List<MaintenanceWindow> maintenance) {
    /** No alarms. */
    public static final AlertsConfig NONE = new AlertsConfig("", "", Duration.ofSeconds(2), 1000,
            Duration.ofSeconds(1), Duration.ofMinutes(5), Optional.empty(), Map.of(), List.of(), List.of());

    public AlertsConfig {
        channels = Map.copyOf(channels);
        rules = List.copyOf(rules);
        maintenance = List.copyOf(maintenance);
    }
}

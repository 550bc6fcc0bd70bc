package io.bulwark.config;

import io.bulwark.core.Threshold;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One host or peer check under {@code monitor:}, with Nagios's scheduling and confirmation rules.
 *
 * @param warning the warning range of each measure (Nagios range syntax): one, or three for {@code load}
 *     (1, 5 and 15 minutes); empty for none, and always for {@code exec}, whose plugin judges itself
 * @param critical the critical ranges, likewise
 * @param checkInterval between checks while the state is OK or confirmed (HARD)
 * @param retryInterval between checks while a problem is being confirmed (SOFT)
 * @param maxCheckAttempts results in a row that confirm a problem
 * @param flapDetection whether flapping is detected (notifications held while a check flaps)
 * @param lowFlapThreshold percent state change at or below which a flapping check has settled
 * @param highFlapThreshold percent state change at or above which a check is flapping
 * @param timeout how long one check may take
 * @param perCpu load: divide the load averages by the number of CPUs first (check_load -r)
 * @param heap memory: the JVM's heap rather than the host's RAM
 * @param path disk: a path on the file system to watch
 * @param target latency: the host and port connected to
 * @param url http: the URL fetched
 * @param expectStatus http: the statuses that pass
 * @param command exec: the plugin's argv (empty for other types, as the type-specific values above are
 *     {@code null} or false for the types they do not belong to)
 */
public record MonitorCheckConfig(
        String name,
        MonitorType type,
        List<Threshold> warning,
        List<Threshold> critical,
        Duration checkInterval,
        Duration retryInterval,
        int maxCheckAttempts,
        boolean flapDetection,
        double lowFlapThreshold,
        double highFlapThreshold,
        Duration timeout,
        boolean perCpu,
        boolean heap,
        Path path,
        HostPort target,
        URI url,
        StatusRanges expectStatus,
        List<String> command) {

    public MonitorCheckConfig {
        warning = List.copyOf(warning);
        critical = List.copyOf(critical);
        command = List.copyOf(command);
    }
}

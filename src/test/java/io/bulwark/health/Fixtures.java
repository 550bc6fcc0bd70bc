package io.bulwark.health;

import io.bulwark.config.Balance;
import io.bulwark.config.CheckType;
import io.bulwark.config.HealthCheckConfig;
import io.bulwark.config.HostPort;
import io.bulwark.config.OutlierConfig;
import io.bulwark.config.PassiveConfig;
import io.bulwark.config.Recovery;
import io.bulwark.config.RetryConfig;
import io.bulwark.config.ServerConfig;
import io.bulwark.config.StatusRanges;
import io.bulwark.config.UpstreamConfig;
import io.bulwark.core.Clock;
import io.bulwark.core.EventBus;
import io.bulwark.upstream.Upstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Config records for health tests, with the documented defaults unless a test says otherwise. */
final class Fixtures {
    private Fixtures() {}

    static HealthCheckConfig check(CheckType type, int rise, int fall) {
        return new HealthCheckConfig(type, "/", "GET", Optional.empty(), StatusRanges.DEFAULT, Optional.empty(),
                List.of(), Duration.ofSeconds(2), Duration.ofSeconds(1), rise, fall, Duration.ofMillis(500),
                Duration.ofSeconds(5), 0);
    }

    static HealthCheckConfig withJitter(HealthCheckConfig c, int percent) {
        return new HealthCheckConfig(c.type(), c.path(), c.method(), c.host(), c.expectStatus(), c.expectBody(),
                c.command(), c.interval(), c.timeout(), c.rise(), c.fall(), c.fastInterval(), c.downInterval(), percent);
    }

    static PassiveConfig passive(int consecutive, int maxEjectionPercent) {
        return new PassiveConfig(consecutive, Set.of(502, 503, 504), Duration.ofSeconds(30), Duration.ofSeconds(300),
                maxEjectionPercent);
    }

    /** Statistical outlier detection alone: consecutive-failure ejection off, Envoy's back-off times. */
    static PassiveConfig outlier(OutlierConfig outlier, int maxEjectionPercent) {
        return new PassiveConfig(0, Set.of(502, 503, 504), Duration.ofSeconds(30), Duration.ofSeconds(300),
                maxEjectionPercent, Optional.of(outlier));
    }

    static Upstream upstream(int servers, Optional<HealthCheckConfig> check, Optional<PassiveConfig> passive,
            Recovery recovery, int maxFails, Clock clock, EventBus bus) {
        List<ServerConfig> list = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            list.add(new ServerConfig(new HostPort("127.0.0.1", 9001 + i), 1, false, maxFails, Duration.ofSeconds(10)));
        }
        UpstreamConfig config = new UpstreamConfig("app", Balance.ROUND_ROBIN, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 64, Duration.ofSeconds(60), list, check, passive,
                Duration.ZERO, recovery, RetryConfig.DEFAULT, 0);
        return new Upstream(config, clock, bus);
    }
}

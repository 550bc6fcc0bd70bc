package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutlierConfigTest {
    /** {@code PASSIVE} is replaced by the upstream's {@code passive:} keys, starting on line 10. */
    private static final String TEMPLATE = """
            listeners:
              - name: web
                bind: :0
            routes:
              - upstream: app
            upstreams:
              app:
                servers: [{address: 127.0.0.1:9001}]
                passive:
            PASSIVE
            """;

    @Test
    void everyOutlierKeyBinds() throws Exception {
        PassiveConfig passive = passive("""
                      outlier:
                        interval: 30s
                        min_requests: 50
                        min_hosts: 4
                        success_rate_stdev: 2.5
                        latency_stdev: 0
                        min_latency_gap: 100ms
                """);

        assertThat(passive.outlier()).contains(
                new OutlierConfig(Duration.ofSeconds(30), 50, 4, 2.5, 0, Duration.ofMillis(100)));
    }

    @Test
    void anEmptyOutlierBlockTakesTheDefaults() throws Exception {
        PassiveConfig passive = passive("      outlier: {}\n");

        assertThat(passive.outlier()).contains(
                new OutlierConfig(Duration.ofSeconds(10), 100, 3, 1.9, 3.0, Duration.ofMillis(20)));
        assertThat(passive.outlier()).contains(OutlierConfig.DEFAULTS);
    }

    @Test
    void withoutOutlierBlockItIsOffAndTheOldConstructorStillEqualsTheBoundRecord() throws Exception {
        PassiveConfig passive = passive("      consecutive_failures: 5\n");

        assertThat(passive.outlier()).isEmpty();
        assertThat(passive).isEqualTo(new PassiveConfig(5, Set.of(502, 503, 504), Duration.ofSeconds(30),
                Duration.ofSeconds(300), 50));
        assertThat(passive).isEqualTo(new PassiveConfig(5, Set.of(502, 503, 504), Duration.ofSeconds(30),
                Duration.ofSeconds(300), 50, Optional.empty()));
    }

    @Test
    void everyProblemOfTheBlockIsReportedAtOnceWithLineAndColumn() {
        assertThat(problems("""
                      outlier:
                        interval: 500ms
                        min_requests: 0
                        min_hosts: 2
                        success_rate_stdev: -1
                        latency_stdev: 11
                        min_latency_gap: 20
                        succes_rate_stdev: 1.9
                """)).containsExactly(
                "app.yaml:11:19: upstreams.app.passive.outlier.interval: 500ms (expected: 1s..1h)",
                "app.yaml:12:23: upstreams.app.passive.outlier.min_requests: 0 (expected: 1..1000000)",
                "app.yaml:13:20: upstreams.app.passive.outlier.min_hosts: 2 (expected: 3..1000)",
                "app.yaml:14:29: upstreams.app.passive.outlier.success_rate_stdev: -1 "
                        + "(expected: a number of standard deviations like 1.9 in 0..10, 0 = off)",
                "app.yaml:15:24: upstreams.app.passive.outlier.latency_stdev: 11 "
                        + "(expected: a number of standard deviations like 1.9 in 0..10, 0 = off)",
                "app.yaml:16:26: upstreams.app.passive.outlier.min_latency_gap: 20 has no unit "
                        + "(expected: 20ms, 20s, 20m or 20h)",
                "app.yaml:17:9: upstreams.app.passive.outlier.succes_rate_stdev: unknown key 'succes_rate_stdev' "
                        + "(did you mean 'success_rate_stdev'?)");
    }

    @Test
    void factorsMustBePlainDecimals() {
        assertThat(problems("""
                      outlier:
                        success_rate_stdev: "1.9"
                        latency_stdev: .inf
                """)).containsExactly(
                "app.yaml:11:29: upstreams.app.passive.outlier.success_rate_stdev: \"1.9\" "
                        + "(expected: a number of standard deviations like 1.9 in 0..10, 0 = off, without quotes)",
                "app.yaml:12:24: upstreams.app.passive.outlier.latency_stdev: .inf "
                        + "(expected: a number of standard deviations like 1.9 in 0..10, 0 = off)");
    }

    @Test
    void turningBothDetectorsOffIsReportedAtTheBlock() {
        assertThat(problems("""
                      outlier:
                        success_rate_stdev: 0
                        latency_stdev: 0.0
                """)).containsExactly(
                "app.yaml:11:9: upstreams.app.passive.outlier: success_rate_stdev and latency_stdev are both 0 "
                        + "(expected: at least one above 0, or no outlier: section)");
    }

    @Test
    void notAMappingIsReported() {
        assertThat(problems("      outlier: on\n")).containsExactly(
                "app.yaml:10:16: upstreams.app.passive.outlier: on "
                        + "(expected: a mapping with interval, min_requests, success_rate_stdev, ...)");
    }

    @Test
    void theRecordRefusesWhatTheBinderRefuses() {
        assertThatThrownBy(() -> new OutlierConfig(Duration.ofSeconds(10), 100, 2, 1.9, 3, Duration.ZERO))
                .hasMessageContaining("min_hosts: 2");
        assertThatThrownBy(() -> new OutlierConfig(Duration.ofSeconds(10), 100, 3, Double.NaN, 3, Duration.ZERO))
                .hasMessageContaining("success_rate_stdev");
    }

    private static PassiveConfig passive(String keys) throws ConfigException {
        return ConfigLoader.parse("app.yaml", TEMPLATE.replace("PASSIVE\n", keys)).upstreams().get("app")
                .passive().orElseThrow();
    }

    private static List<String> problems(String keys) {
        return ConfigProblems.of(TEMPLATE.replace("PASSIVE\n", keys));
    }
}

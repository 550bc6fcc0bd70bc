package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HealthConfigTest {
    /** Line 10 holds the first server's extra keys ({@code SERVER}), line 11 onwards the upstream's ({@code UPSTREAM}). */
    private static final String TEMPLATE = """
            listeners:
              - name: web
                bind: :0
            routes:
              - upstream: app
            upstreams:
              app:
                servers:
                  - address: 127.0.0.1:9001
                    SERVER
            UPSTREAM
            """;

    @Test
    void everyHealthKeyBinds() throws Exception {
        UpstreamConfig app = upstream("max_fails: 3\n        fail_timeout: 20s", """
                    health_check:
                      type: http
                      path: /healthz
                      method: OPTIONS
                      host: app.internal
                      expect_status: 200, 204,300-399
                      expect_body: "ok"
                      interval: 4s
                      timeout: 4s
                      rise: 5
                      fall: 6
                      fast_interval: 250ms
                      down_interval: 10s
                      jitter: 0%
                    passive:
                      consecutive_failures: 7
                      failure_statuses: [500, 503]
                      ejection_time: 10s
                      max_ejection_time: 1m
                      max_ejection_percent: 30
                    slow_start: 30s
                    recovery: manual
                """);

        assertThat(app.servers().getFirst()).isEqualTo(
                new ServerConfig(new HostPort("127.0.0.1", 9001), 1, false, 3, Duration.ofSeconds(20)));
        assertThat(app.healthCheck()).contains(new HealthCheckConfig(CheckType.HTTP, "/healthz", "OPTIONS",
                Optional.of("app.internal"), StatusRanges.parse("200,204,300-399"), Optional.of("ok"), List.of(),
                Duration.ofSeconds(4), Duration.ofSeconds(4), 5, 6, Duration.ofMillis(250), Duration.ofSeconds(10), 0));
        assertThat(app.passive()).contains(new PassiveConfig(7, Set.of(500, 503), Duration.ofSeconds(10),
                Duration.ofMinutes(1), 30));
        assertThat(app.slowStart()).isEqualTo(Duration.ofSeconds(30));
        assertThat(app.recovery()).isEqualTo(Recovery.MANUAL);
    }

    @Test
    void defaultsFollowNginxAndHaproxy() throws Exception {
        UpstreamConfig app = upstream("", """
                    health_check: {}
                    passive: {}
                    slow_start: 0
                """);

        assertThat(app.servers().getFirst().maxFails()).isEqualTo(1);
        assertThat(app.servers().getFirst().failTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(app.healthCheck()).contains(new HealthCheckConfig(CheckType.HTTP, "/", "GET", Optional.empty(),
                StatusRanges.parse("200-399"), Optional.empty(), List.of(), Duration.ofSeconds(2),
                Duration.ofSeconds(1), 2, 3, Duration.ofMillis(500), Duration.ofSeconds(2), 10));
        assertThat(app.passive()).contains(new PassiveConfig(5, Set.of(502, 503, 504), Duration.ofSeconds(30),
                Duration.ofSeconds(300), 50));
        assertThat(app.slowStart()).isZero();
        assertThat(app.recovery()).isEqualTo(Recovery.AUTO);
    }

    @Test
    void leavingEverythingOutEqualsTheOldConstructors() throws Exception {
        UpstreamConfig app = upstream("", "");

        assertThat(app).isEqualTo(new UpstreamConfig("app", Balance.ROUND_ROBIN, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 64, Duration.ofSeconds(60),
                List.of(new ServerConfig(new HostPort("127.0.0.1", 9001), 1, false))));
        assertThat(app.healthCheck()).isEmpty();
        assertThat(app.passive()).isEmpty();
    }

    @Test
    void execCommandIsSplitLikeAShellWithoutOne() throws Exception {
        UpstreamConfig app = upstream("", """
                    health_check:
                      type: exec
                      command: "/usr/lib/nagios/plugins/check_http -H {host} -p {port} -s 'all good' -u \\"/a b\\""
                """);

        assertThat(app.healthCheck().orElseThrow().command()).containsExactly(
                "/usr/lib/nagios/plugins/check_http", "-H", "{host}", "-p", "{port}", "-s", "all good", "-u", "/a b");
    }

    @Test
    void badExpectStatusIsReportedAtTheValue() {
        assertThat(problems("", """
                    health_check:
                      expect_status: 200-2x9
                """)).containsExactly("app.yaml:12:22: upstreams.app.health_check.expect_status: 200-2x9 "
                + "(expected: status codes and ranges like 200,204,300-399 within 100..599)");
        assertThat(problems("", """
                    health_check:
                      expect_status: 399-200
                """)).hasSize(1);
        assertThat(problems("", """
                    health_check:
                      expect_status: 600
                """)).hasSize(1);
    }

    @Test
    void unknownTypeSuggestsTheClosestType() {
        assertThat(problems("", """
                    health_check:
                      type: htp
                """)).containsExactly(
                "app.yaml:12:13: upstreams.app.health_check.type: unknown value 'htp' (did you mean 'http'?)");
    }

    @Test
    void aHeadCheckCannotExpectABody() {
        assertThat(problems("", """
                    health_check:
                      method: HEAD
                      expect_body: ok
                """)).containsExactly("app.yaml:13:20: upstreams.app.health_check.expect_body: "
                + "cannot match a body of a HEAD response (expected: method GET, or no expect_body)");
    }

    @Test
    void execWithoutCommandIsMissingIt() {
        assertThat(problems("", """
                    health_check:
                      type: exec
                """)).containsExactly("app.yaml:12:7: upstreams.app.health_check.command: missing "
                + "(expected: a plugin command like /usr/lib/nagios/plugins/check_tcp -H {host} -p {port})");
    }

    @Test
    void keysOfAnotherTypeAreReported() {
        assertThat(problems("", """
                    health_check:
                      type: tcp
                      path: /healthz
                      command: check_tcp
                """)).containsExactly(
                "app.yaml:13:13: upstreams.app.health_check.path: applies only to type http "
                        + "(expected: no path for type tcp)",
                "app.yaml:14:16: upstreams.app.health_check.command: applies only to type exec "
                        + "(expected: no command for type tcp)");
    }

    @Test
    void everyProblemOfTheSectionIsReportedAtOnce() {
        assertThat(problems("max_fails: -1\n        fail_timout: 1s", """
                    health_check:
                      type: exec
                      command: "check_tcp -H 'oops"
                      interval: 1s
                      timeout: 2s
                      rise: 0
                      jitter: 80%
                      fastinterval: 1s
                    passive:
                      failure_statuses: [502, 99]
                      ejection_time: 1m
                      max_ejection_time: 30s
                      max_ejection_percent: 101
                    slow_start: soon
                    recovery: manul
                """)).containsExactly(
                "app.yaml:10:20: upstreams.app.servers[0].max_fails: -1 (expected: 0..1000)",
                "app.yaml:11:9: upstreams.app.servers[0].fail_timout: unknown key 'fail_timout' "
                        + "(did you mean 'fail_timeout'?)",
                "app.yaml:14:16: upstreams.app.health_check.command: unterminated single quote "
                        + "(expected: a command line, quoted like a shell's; no shell runs it)",
                "app.yaml:16:16: upstreams.app.health_check.timeout: 2s (expected: at most interval, 1s)",
                "app.yaml:17:13: upstreams.app.health_check.rise: 0 (expected: 1..100)",
                "app.yaml:18:15: upstreams.app.health_check.jitter: 80% (expected: a percentage like 10% in 0%..50%)",
                "app.yaml:19:7: upstreams.app.health_check.fastinterval: unknown key 'fastinterval' "
                        + "(did you mean 'fast_interval'?)",
                "app.yaml:21:31: upstreams.app.passive.failure_statuses[1]: 99 (expected: 100..599)",
                "app.yaml:23:26: upstreams.app.passive.max_ejection_time: 30s (expected: at least ejection_time, 1m)",
                "app.yaml:24:29: upstreams.app.passive.max_ejection_percent: 101 (expected: 0..100)",
                "app.yaml:25:17: upstreams.app.slow_start: soon (expected: a duration like 250ms, 2s, 1m or 1h)",
                "app.yaml:26:15: upstreams.app.recovery: unknown value 'manul' (did you mean 'manual'?)");
    }

    @Test
    void exampleFileCarriesHealthSettings() throws Exception {
        Config c = ConfigLoader.load(Path.of(getClass().getResource("/config/example.yaml").toURI()));

        UpstreamConfig backend = c.upstreams().get("backend");
        assertThat(backend.servers()).extracting(ServerConfig::maxFails).containsExactly(3, 1, 1, 1);
        assertThat(backend.healthCheck().orElseThrow().expectStatus()).hasToString("200-299");
        assertThat(backend.passive()).isPresent();
        assertThat(backend.slowStart()).isEqualTo(Duration.ofSeconds(30));
        UpstreamConfig statics = c.upstreams().get("static");
        assertThat(statics.healthCheck().orElseThrow().command()).containsExactly(
                "/usr/lib/nagios/plugins/check_tcp", "-H", "{host}", "-p", "{port}", "-w", "0.5", "-c", "1");
        assertThat(statics.recovery()).isEqualTo(Recovery.MANUAL);
    }

    @Test
    void statusRangesMatchCodesAndRanges() {
        StatusRanges r = StatusRanges.parse("200,204,300-302");

        assertThat(r.contains(200)).isTrue();
        assertThat(r.contains(201)).isFalse();
        assertThat(r.contains(301)).isTrue();
        assertThat(r.contains(303)).isFalse();
        assertThat(r.contains(-1)).isFalse();
        assertThat(r.contains(1000)).isFalse();
    }

    @Test
    void commandSplittingRefusesWhatAShellWould() {
        assertThat(Commands.split("a  'b c'd \"e\\\"f\" g\\ h")).containsExactly("a", "b cd", "e\"f", "g h");
        assertThatThrownBy(() -> Commands.split("a \"b")).hasMessage("unterminated double quote");
        assertThatThrownBy(() -> Commands.split("a\\")).hasMessage("trailing backslash");
        assertThatThrownBy(() -> Commands.split("  ")).hasMessage("empty command");
    }

    @Test
    void panicThresholdIsAPercentageOffByDefault() throws Exception {
        assertThat(upstream("", "").panicThresholdPercent()).isZero();
        assertThat(upstream("", "    panic_threshold: 40%").panicThresholdPercent()).isEqualTo(40);
        assertThat(problems("", "    panic_threshold: 40")).singleElement().asString()
                .startsWith("app.yaml:11:22: upstreams.app.panic_threshold: ").contains("expected: a percentage");
        assertThat(problems("", "    panic_threshold: 140%")).singleElement().asString().contains("0%..100%");
    }

    private static UpstreamConfig upstream(String server, String upstream) throws ConfigException {
        return ConfigLoader.parse("app.yaml", yaml(server, upstream)).upstreams().get("app");
    }

    private static String yaml(String server, String upstream) {
        return TEMPLATE.replace("SERVER", server).replace("UPSTREAM\n", upstream);
    }

    private static List<String> problems(String server, String upstream) {
        return ConfigProblems.of(yaml(server, upstream));
    }
}

package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.core.Threshold;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code monitor:}: host and peer checks with Nagios's knobs, and every mistake at its line and column. */
class MonitorConfigTest {
    private static final String BASE = """
            listeners: [{ name: web, bind: ":0" }]
            routes: [{ upstream: app }]
            upstreams: { app: { servers: [{ address: "127.0.0.1:9001" }] } }
            monitor:
            """;

    private static Config load(String monitor) throws Exception {
        return ConfigLoader.parse("app.yaml", BASE + monitor);
    }

    private static List<String> problems(String monitor) {
        return ConfigProblems.of(BASE + monitor);
    }

    @Test
    void theArticlesCpuLoadServiceIsAFewLines() throws Exception {
        // Nagios: check_load every 5 minutes, warning 8.0, critical 12.0.
        MonitorCheckConfig c = load("""
                  cpu_load:
                    type: load
                    warning: 8.0
                    critical: 12.0
                    check_interval: 5m
                """).monitor().get("cpu_load");
        assertThat(c.type()).isEqualTo(MonitorType.LOAD);
        assertThat(c.warning()).containsExactly(Threshold.parse("8"), Threshold.parse("8"), Threshold.parse("8"));
        assertThat(c.critical()).containsExactly(Threshold.parse("12"), Threshold.parse("12"), Threshold.parse("12"));
        assertThat(c.checkInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.retryInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxCheckAttempts()).isEqualTo(3);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.flapDetection()).isTrue();
        assertThat(c.lowFlapThreshold()).isEqualTo(25.0);
        assertThat(c.highFlapThreshold()).isEqualTo(50.0);
    }

    @Test
    void everyTypeReadsItsOwnKeys() throws Exception {
        Config c = load("""
                  load15: { type: load, warning: "4,3,2", critical: "8,6,4", per_cpu: true }
                  busy: { type: cpu, warning: 80, critical: 95, retry_interval: 10s, max_check_attempts: 5 }
                  heap: { type: memory, of: heap, critical: 90 }
                  logs: { type: disk, path: /var/log, warning: 80, critical: 90 }
                  peer: { type: latency, target: "10.0.0.2:80", warning: 5, critical: 50, timeout: 2s }
                  health: { type: http, url: "http://127.0.0.1:8080/healthz", expect_status: "200,204", critical: 500 }
                  nrpe: { type: exec, command: "/usr/lib/nagios/plugins/check_load -w 8,8,8 -c 12,12,12" }
                  inside: { type: cpu, critical: "@10:20", low_flap_threshold: 10, high_flap_threshold: 30.5 }
                """);
        assertThat(c.monitor()).containsOnlyKeys("load15", "busy", "heap", "logs", "peer", "health", "nrpe", "inside");
        assertThat(c.monitor().get("load15").warning()).extracting(Threshold::toString).containsExactly("4", "3", "2");
        assertThat(c.monitor().get("load15").perCpu()).isTrue();
        assertThat(c.monitor().get("busy").maxCheckAttempts()).isEqualTo(5);
        assertThat(c.monitor().get("busy").retryInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.monitor().get("heap").heap()).isTrue();
        assertThat(c.monitor().get("logs").path()).isEqualTo(Path.of("/var/log"));
        assertThat(c.monitor().get("peer").target()).isEqualTo(new HostPort("10.0.0.2", 80));
        assertThat(c.monitor().get("health").url()).isEqualTo(URI.create("http://127.0.0.1:8080/healthz"));
        assertThat(c.monitor().get("health").expectStatus().contains(204)).isTrue();
        assertThat(c.monitor().get("health").expectStatus().contains(200)).isTrue();
        assertThat(c.monitor().get("health").expectStatus().contains(301)).isFalse();
        assertThat(c.monitor().get("nrpe").command()).containsExactly("/usr/lib/nagios/plugins/check_load", "-w",
                "8,8,8", "-c", "12,12,12");
        assertThat(c.monitor().get("inside").critical()).extracting(Threshold::toString).containsExactly("@10:20");
        assertThat(c.monitor().get("inside").highFlapThreshold()).isEqualTo(30.5);
        assertThat(c.monitor().get("logs").checkInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aBadRangeIsReportedWithTheGuidelinesSyntax() {
        assertThat(problems("  busy: { type: cpu, warning: \"10:5\" }\n")).containsExactly(
                "app.yaml:5:31: monitor.busy.warning: start 10 is greater than end 5 (expected: start <= end, as in 5:10)");
        assertThat(problems("  busy: { type: load, critical: \"8,6\" }\n")).singleElement().asString()
                .contains("has 2 ranges (expected: one range for all 3 load averages, or 3 separated by commas)");
    }

    @Test
    void anUnknownTypeAndAnothersKeysAreReported() {
        assertThat(problems("  busy: { type: cpus }\n")).singleElement().asString()
                .startsWith("app.yaml:5:17: monitor.busy.type: unknown value 'cpus' (did you mean 'cpu'?)");
        assertThat(problems("  busy: { type: cpu, url: \"http://x/\" }\n")).singleElement().asString()
                .isEqualTo("app.yaml:5:27: monitor.busy.url: applies only to type http (expected: no url for type cpu)");
        assertThat(problems("  nrpe: { type: exec, command: check_load, warning: 8 }\n")).singleElement().asString()
                .contains("does not apply to type exec: the plugin judges its own result");
    }

    @Test
    void whatATypeNeedsIsRequired() {
        assertThat(problems("  peer: { type: latency }\n")).singleElement().asString()
                .startsWith("app.yaml:5:9: monitor.peer.target: missing");
        assertThat(problems("  health: { type: http }\n")).singleElement().asString().contains("monitor.health.url");
        assertThat(problems("  nrpe: { type: exec }\n")).singleElement().asString().contains("monitor.nrpe.command");
        assertThat(problems("  x: { warning: 5 }\n")).singleElement().asString().contains("monitor.x.type");
    }

    @Test
    void aTimeoutPastTheIntervalAndCrossedFlapThresholdsAreReported() {
        assertThat(problems("  busy: { type: cpu, check_interval: 5s, timeout: 10s }\n")).singleElement().asString()
                .contains("monitor.busy.timeout: 10s (expected: at most check_interval, 5s)");
        assertThat(problems("  busy: { type: cpu, low_flap_threshold: 60 }\n")).singleElement().asString()
                .contains("low_flap_threshold 60.0 is not below high_flap_threshold 50.0");
    }

    @Test
    void aVrrpTrackerCanWatchACheckThatExists() throws Exception {
        String vrrp = """
                  cpu_load: { type: load, warning: 8, critical: 12 }
                vrrp:
                  instances:
                    - name: VI_1
                      interface: eth0
                      virtual_router_id: 51
                      virtual_ips: [192.168.1.100]
                      track:
                        - check: cpu_load
                          weight: -60
                        - check: cpu_load2
                          weight: -10
                """;
        assertThat(problems(vrrp)).singleElement().asString()
                .contains("no monitor check named 'cpu_load2' (did you mean 'cpu_load'?)");
        Config c = load(vrrp.replace("""
                        - check: cpu_load2
                          weight: -10
                """, "          on: warning\n"));
        TrackConfig t = c.vrrp().instances().getFirst().tracks().getFirst();
        assertThat(t.target()).isEqualTo("check:cpu_load");
        assertThat(t.weight()).isEqualTo(-60);
        assertThat(t.failOnWarning()).isTrue();
    }
}

package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VrrpConfigTest {
    /** Line 10 is {@code vrrp:}; the instance's keys start on line 13, column 7. */
    private static final String HEAD = """
            listeners:
              - name: web
                bind: :0
            routes:
              - upstream: app
            upstreams:
              app:
                servers:
                  - address: 127.0.0.1:9001
            vrrp:
              instances:
                - name: VI_1
            """;

    @Test
    void everyKeyBinds() throws Exception {
        Config c = ConfigLoader.load(resource("vrrp.yaml"));

        assertThat(c.vrrp().instances()).hasSize(2);
        VrrpInstanceConfig vi = c.vrrp().instances().getFirst();
        assertThat(vi).isEqualTo(new VrrpInstanceConfig("VI_1", 3, "eth0", 51, 100, Duration.ofMillis(100), true,
                Duration.ofSeconds(5), "192.168.1.2", List.of("192.168.1.3"), List.of("192.168.1.100/24", "192.168.1.101"),
                null, List.of(new TrackConfig("listener:web", -60), new TrackConfig("upstream:app", -50),
                        new TrackConfig("script:/usr/local/bin/check.sh --quick 'a b'", 0, Duration.ofMillis(500)),
                        new TrackConfig("script:/bin/true", 0)),
                List.of("/usr/local/bin/on-vrrp-change", "--verbose"), 50));
        assertThat(vi.tracks().get(2).scriptCommand()).containsExactly("/usr/local/bin/check.sh", "--quick", "a b");
        VrrpInstanceConfig defaults = c.vrrp().instances().get(1);
        assertThat(defaults.version()).isEqualTo(3);
        assertThat(defaults.priority()).isEqualTo(100);
        assertThat(defaults.advertInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.preempt()).isTrue();
        assertThat(defaults.unicastPeers()).isEmpty();
        assertThat(defaults.tracks()).isEmpty();
        assertThat(defaults.notifyCommand()).isEmpty();
        assertThat(defaults.peerPriority()).isZero();
    }

    @Test
    void withoutAVrrpSectionFailoverIsOff() throws Exception {
        assertThat(ConfigLoader.load(resource("minimal.yaml")).vrrp().instances()).isEmpty();
    }

    @Test
    void theClassicKeepalivedPairLoads() throws Exception {
        VrrpInstanceConfig master = ConfigLoader.load(resource("keepalived-master.yaml")).vrrp().instances().getFirst();
        VrrpInstanceConfig backup = ConfigLoader.load(resource("keepalived-backup.yaml")).vrrp().instances().getFirst();

        assertThat(master).isEqualTo(new VrrpInstanceConfig("VI_1", 2, "eth0", 51, 100, Duration.ofSeconds(1), true,
                Duration.ZERO, null, List.of(), List.of("192.168.1.100"), "123456", List.of(), List.of()));
        assertThat(backup).isEqualTo(new VrrpInstanceConfig("VI_1", 2, "eth0", 51, 50, Duration.ofSeconds(1), true,
                Duration.ZERO, null, List.of(), List.of("192.168.1.100"), "123456", List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "virtual_router_id: 0        | 13:26: vrrp.instances[0].virtual_router_id: 0 (expected: 1..255)",
        "virtual_router_id: 256      | 13:26: vrrp.instances[0].virtual_router_id: 256 (expected: 1..255)",
        "priority: 0                 | 13:17: vrrp.instances[0].priority: 0 (expected: 1..255)",
        "priority: 256               | 13:17: vrrp.instances[0].priority: 256 (expected: 1..255)",
        "version: 4                  | 13:16: vrrp.instances[0].version: 4 (expected: 2..3)",
        "advert_interval: 15ms       | 13:24: vrrp.instances[0].advert_interval: 15ms (expected: 10ms..40950ms in steps of 10ms with version 3)",
        "virtual_ips: [10.0.0.1/33]  | 13:21: vrrp.instances[0].virtual_ips[0]: 10.0.0.1/33 (expected: an IPv4 address with an optional prefix length, like 192.168.1.100/24)",
        "virtual_ips: [10.0.0.256]   | 13:21: vrrp.instances[0].virtual_ips[0]: 10.0.0.256 (expected: an IPv4 address with an optional prefix length, like 192.168.1.100/24)",
        "virtual_ips: []             | 13:20: vrrp.instances[0].virtual_ips: empty list (expected: a list of IPv4 address with an optional prefix length, like 192.168.1.100/24)",
        "unicast_peers: [10.0.0]     | 13:23: vrrp.instances[0].unicast_peers[0]: 10.0.0 (expected: an IPv4 address like 192.168.1.10)",
        "preemt: false               | 13:7: vrrp.instances[0].preemt: unknown key 'preemt' (did you mean 'preempt'?)",
        "notify: \"'unterminated\"    | 13:15: vrrp.instances[0].notify: unterminated single quote (expected: a command line, quoted like a shell's; no shell runs it)",
    })
    void badValueIsReportedAtItsPosition(String line, String expected) {
        assertThat(problems(yaml(line))).containsExactly("app.yaml:" + expected);
    }

    private static final String REST = """
                  interface: eth0
                  virtual_router_id: 51
                  virtual_ips: [192.168.1.100/24]
            """;

    /** HEAD, then {@code line} at line 13, then the required keys {@code line} does not set. */
    private static String yaml(String line) {
        String key = line.substring(0, line.indexOf(':'));
        StringBuilder b = new StringBuilder(HEAD).append("      ").append(line).append('\n');
        REST.lines().filter(l -> !l.strip().startsWith(key + ":")).forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    @Test
    void version2RefusesSubSecondIntervals() {
        assertThat(problems(HEAD + "      version: 2\n      advert_interval: 100ms\n" + REST)).containsExactly(
                "app.yaml:14:24: vrrp.instances[0].advert_interval: 100ms (expected: 1s..255s in whole seconds "
                        + "with version 2; sub-second intervals need version: 3)");
    }

    @Test
    void passwordWithVersion3IsRefused() {
        assertThat(problems(HEAD + "      authentication: { type: pass, password: \"1234\" }\n" + REST)).containsExactly(
                "app.yaml:13:23: vrrp.instances[0].authentication: set with version 3 (expected: only with version: 2; "
                        + "RFC 5798 removed authentication)");
    }

    @Test
    void longPasswordAndUnknownAuthTypeAreRefused() {
        assertThat(problems(HEAD + "      version: 2\n      authentication: { type: ah, password: \"123456789\" }\n" + REST))
                .containsExactly("app.yaml:14:31: vrrp.instances[0].authentication.type: unknown value 'ah' (expected: one of pass)");
        assertThat(problems(HEAD + "      version: 2\n      authentication: { type: pass, password: \"123456789\" }\n" + REST))
                .containsExactly("app.yaml:14:47: vrrp.instances[0].authentication.password: 9 characters (expected: "
                        + "1..8 printable ASCII characters; keepalived silently cuts longer ones to 8)");
    }

    @Test
    void unknownTrackKindGetsADidYouMean() {
        assertThat(problems(HEAD + "      track:\n        - upsteam: app\n          weight: -50\n" + REST)).containsExactly(
                "app.yaml:14:11: vrrp.instances[0].track[0]: nothing to track (expected: one of listener, upstream, check, script)",
                "app.yaml:14:11: vrrp.instances[0].track[0].upsteam: unknown key 'upsteam' (did you mean 'upstream'?)");
    }

    @Test
    void trackedListenersAndUpstreamsMustExist() {
        assertThat(problems(HEAD + """
                      track:
                        - listener: webb
                        - upstream: nope
                          weight: -10
                        - listener: web
                          upstream: app
                        - script: /bin/check
                          weight: 5
                        - upstream: app
                          interval: 1s
                """ + REST)).containsExactly(
                "app.yaml:14:21: vrrp.instances[0].track[0].listener: no listener named 'webb' (did you mean 'web'?)",
                "app.yaml:15:21: vrrp.instances[0].track[1].upstream: no upstream named 'nope' (expected: one of app)",
                "app.yaml:17:11: vrrp.instances[0].track[2]: tracks listener and upstream (expected: exactly one of listener, upstream, check, script per entry)",
                "app.yaml:20:19: vrrp.instances[0].track[3].weight: 5 (expected: -254..0)",
                "app.yaml:22:21: vrrp.instances[0].track[4].interval: set on a upstream tracker (expected: only with script; listeners, upstreams and checks are watched continuously)");
    }

    @Test
    void duplicateNamesAndRoutersAreReported() {
        String second = """
                    - name: VI_1
                      interface: eth0
                      virtual_router_id: 52
                      virtual_ips: [192.168.1.101]
                    - name: VI_3
                      interface: eth0
                      virtual_router_id: 51
                      virtual_ips: [192.168.1.102]
                """;
        assertThat(problems(HEAD + REST + second)).containsExactly(
                "app.yaml:16:13: vrrp.instances[1].name: duplicate instance name 'VI_1' (first at vrrp.instances[0])",
                "app.yaml:22:26: vrrp.instances[2].virtual_router_id: 51 already used on eth0 by vrrp.instances[0] "
                        + "(expected: one instance per interface and virtual_router_id)");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(problems(HEAD + """
                      virtual_router_id: 0
                      priority: 300
                      interface: eth0
                      virtual_ips: [1.2.3]
                """)).hasSize(3);
    }

    private static List<String> problems(String yaml) {
        return ConfigProblems.of(yaml);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(VrrpConfigTest.class.getResource("/config/" + name).toURI());
    }
}

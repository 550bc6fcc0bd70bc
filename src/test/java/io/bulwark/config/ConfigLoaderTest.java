package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    /** A valid file whose line 12 is {@code WEIGHT} and line 8 is {@code CONNECT} (both replaced by tests). */
    private static final String TEMPLATE = """
            listeners:
              - name: web
                bind: :0
            routes:
              - upstream: app
            upstreams:
              app:
                connect_timeout: CONNECT
                servers:
                  - address: 127.0.0.1:9001
                  - address: 127.0.0.1:9002
                  - address: 127.0.0.1:9003
                    weight: WEIGHT
            """;

    @Test
    void fullValidFileBindsEveryField() throws Exception {
        Config c = ConfigLoader.load(resource("full.yaml"));

        assertThat(c.source()).isEqualTo(resource("full.yaml"));
        assertThat(c.workers()).isEqualTo(3);
        assertThat(c.listeners()).containsExactly(new ListenerConfig(
                "web", new HostPort("0.0.0.0", 8080), Duration.ofSeconds(5), Duration.ofMinutes(2), 4096, 1 << 20,
                false, false));
        assertThat(c.routes()).containsExactly(new RouteConfig("api", "api.example.com", "/api", "app"));
        assertThat(c.upstreams()).containsOnlyKeys("app");
        assertThat(c.upstreams().get("app")).isEqualTo(new UpstreamConfig(
                "app",
                Balance.IP_HASH,
                Duration.ofMillis(250),
                Duration.ofHours(1),
                Duration.ofSeconds(45),
                0,
                Duration.ofSeconds(90),
                List.of(new ServerConfig(new HostPort("127.0.0.1", 9001), 5, false),
                        new ServerConfig(new HostPort("::1", 9002), 1000, true, ServerConfig.DEFAULT_MAX_FAILS,
                                ServerConfig.DEFAULT_FAIL_TIMEOUT, true))));
        assertThat(c.admin()).isEqualTo(new AdminConfig(new HostPort("0.0.0.0", 9999), java.util.Optional.of("full-config-token-0123")));
        assertThat(c.accessLog()).isEqualTo(new AccessLogConfig(AccessLogConfig.Format.JSON, "/tmp/access.log"));
    }

    @Test
    void defaultsApplyWhereKeysAreLeftOut() throws Exception {
        Config c = ConfigLoader.load(resource("minimal.yaml"));

        assertThat(c.workers()).isEqualTo(Math.min(256, Runtime.getRuntime().availableProcessors()));
        assertThat(c.listeners()).containsExactly(new ListenerConfig(
                "web", new HostPort("0.0.0.0", 0), Duration.ofSeconds(10), Duration.ofSeconds(60), 8192, 16384));
        assertThat(c.routes()).containsExactly(new RouteConfig("route-0", "*", "/", "app"));
        assertThat(c.upstreams().get("app")).isEqualTo(new UpstreamConfig(
                "app",
                Balance.ROUND_ROBIN,
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                64,
                Duration.ofSeconds(60),
                List.of(new ServerConfig(new HostPort("localhost", 9001), 1, false))));
        assertThat(c.admin()).isEqualTo(new AdminConfig(new HostPort("127.0.0.1", 9901)));
        assertThat(c.accessLog()).isEqualTo(new AccessLogConfig(AccessLogConfig.Format.COMBINED, "stdout"));
    }

    @Test
    void exampleFileLoadsCleanly() throws Exception {
        Config c = ConfigLoader.load(resource("example.yaml"));

        UpstreamConfig backend = c.upstreams().get("backend");
        assertThat(backend.servers()).extracting(ServerConfig::weight).containsExactly(5, 3, 2, 1);
        assertThat(backend.servers()).extracting(ServerConfig::backup).containsExactly(false, false, false, true);
        assertThat(c.upstreams()).containsOnlyKeys("backend", "static");
        assertThat(c.routes()).extracting(RouteConfig::upstream).containsExactly("backend", "static", "backend");
        assertThat(c.listeners()).extracting(l -> l.bind().toString()).containsExactly("0.0.0.0:8080", "[::]:8080");
    }

    @Test
    void resultIsImmutable() throws Exception {
        Config c = ConfigLoader.load(resource("example.yaml"));

        assertThatThrownBy(() -> c.listeners().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> c.upstreams().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> c.upstreams().get("backend").servers().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-1    | 13:17 | -1 (expected: 1..1000)",
        "0     | 13:17 | 0 (expected: 1..1000)",
        "1001  | 13:17 | 1001 (expected: 1..1000)",
        "abc   | 13:17 | abc (expected: an integer in 1..1000)",
        "'\"5\"' | 13:17 | \"5\" (expected: an integer in 1..1000, without quotes)",
        "2.5   | 13:17 | 2.5 (expected: an integer in 1..1000)",
        "[1]   | 13:17 | a list (expected: an integer in 1..1000)",
        "99999999999999999999 | 13:17 | 99999999999999999999 (expected: 1..1000)",
    })
    void badWeightIsReportedAtTheValue(String weight, String at, String message) {
        assertThat(problems(TEMPLATE.replace("CONNECT", "1s").replace("WEIGHT", weight)))
                .containsExactly("app.yaml:" + at + ": upstreams.app.servers[2].weight: " + message);
    }

    @Test
    void durationWithAnUnknownUnitIsReported() {
        assertThat(problems(TEMPLATE.replace("CONNECT", "5 parsecs").replace("WEIGHT", "1")))
                .containsExactly("app.yaml:8:22: upstreams.app.connect_timeout: "
                        + "5 parsecs (expected: a duration like 250ms, 2s, 1m or 1h)");
    }

    @Test
    void durationWithoutAUnitAsksForOne() {
        assertThat(problems(TEMPLATE.replace("CONNECT", "5").replace("WEIGHT", "1")))
                .containsExactly("app.yaml:8:22: upstreams.app.connect_timeout: "
                        + "5 has no unit (expected: 5ms, 5s, 5m or 5h)");
    }

    @Test
    void zeroDurationIsOutOfRange() {
        assertThat(problems(TEMPLATE.replace("CONNECT", "0s").replace("WEIGHT", "1")))
                .containsExactly("app.yaml:8:22: upstreams.app.connect_timeout: 0s (expected: 1ms..24h)");
    }

    @Test
    void unknownKeySuggestsTheClosestKnownKey() {
        String yaml = TEMPLATE.replace("connect_timeout: CONNECT", "balanse: random").replace("WEIGHT", "1");

        assertThat(problems(yaml)).containsExactly(
                "app.yaml:8:5: upstreams.app.balanse: unknown key 'balanse' (did you mean 'balance'?)");
    }

    @Test
    void unknownTopLevelKeyListsTheKnownKeysWhenNoneIsClose() {
        String yaml = TEMPLATE.replace("CONNECT", "1s").replace("WEIGHT", "1") + "frobnicate: 1\n";

        assertThat(problems(yaml)).containsExactly("app.yaml:14:1: frobnicate: unknown key 'frobnicate' "
                + "(expected: one of workers, transport, listeners, upstreams, routes, admin, access_log, monitor, vrrp, events, alerts)");
    }

    @Test
    void transportIsAutoUnlessNamed() throws Exception {
        String base = TEMPLATE.replace("CONNECT", "1s").replace("WEIGHT", "1");
        assertThat(ConfigLoader.parse("app.yaml", base).transport()).isEqualTo(TransportChoice.AUTO);
        assertThat(ConfigLoader.parse("app.yaml", "transport: epoll\n" + base).transport()).isEqualTo(TransportChoice.EPOLL);
        assertThat(problems("transport: uring\n" + base)).containsExactly(
                "app.yaml:1:12: transport: unknown value 'uring' (expected: one of auto, io_uring, epoll, nio)");
    }

    @Test
    void adminTokenIsReadAndKeptOutOfPrintedConfig() throws Exception {
        String base = TEMPLATE.replace("CONNECT", "1s").replace("WEIGHT", "1");
        AdminConfig admin = ConfigLoader.parse("app.yaml", base + "admin:\n  token: 0123456789abcdef-xyz\n").admin();

        assertThat(admin.token()).contains("0123456789abcdef-xyz");
        assertThat(admin.bind()).isEqualTo(new HostPort("127.0.0.1", 9901));
        assertThat(admin.toString()).doesNotContain("0123456789abcdef").contains("(set)");
    }

    @Test
    void aShortOrSpacedAdminTokenIsRefusedWhereItIsWritten() {
        String base = TEMPLATE.replace("CONNECT", "1s").replace("WEIGHT", "1");

        assertThat(problems(base + "admin:\n  token: short\n")).containsExactly(
                "app.yaml:15:10: admin.token: expected at least 16 printable ASCII characters without spaces (the value is not shown)");
        assertThat(problems(base + "admin:\n  token: \"two words that are long\"\n")).singleElement().asString()
                .doesNotContain("two words");
    }

    @Test
    void unknownBalanceSuggestsTheClosestAlgorithm() {
        String yaml = TEMPLATE.replace("connect_timeout: CONNECT", "balance: round_robbin").replace("WEIGHT", "1");

        assertThat(problems(yaml)).containsExactly(
                "app.yaml:8:14: upstreams.app.balance: unknown value 'round_robbin' (did you mean 'round_robin'?)");
    }

    @Test
    void duplicateKeyIsReportedAtTheSecondOccurrence() {
        String yaml = TEMPLATE.replace("CONNECT", "1s").replace("WEIGHT", "2\n        weight: 3");

        assertThat(problems(yaml)).containsExactly(
                "app.yaml:14:9: upstreams.app.servers[2].weight: duplicate key 'weight' (first at line 13)");
    }

    @Test
    void routeToAMissingUpstreamIsReportedAtTheReference() {
        String yaml = TEMPLATE.replace("CONNECT", "1s").replace("WEIGHT", "1").replace("upstream: app", "upstream: ap");

        assertThat(problems(yaml)).containsExactly(
                "app.yaml:5:15: routes[0].upstream: unknown upstream 'ap' (did you mean 'app'?)");
    }

    @Test
    void yamlSyntaxErrorIsReportedAtTheParserMark() {
        String yaml = """
                listeners:
                  - name: web
                    bind: :0: x: y
                """;

        assertThat(problems(yaml)).containsExactly("app.yaml:3:13: <yaml>: mapping values are not allowed here");
    }

    @Test
    void unclosedQuoteIsASyntaxError() {
        assertThat(problems("workers: \"4\n"))
                .singleElement()
                .asString()
                .startsWith("app.yaml:2:1: <yaml>: found unexpected end of stream");
    }

    @Test
    void emptyFileIsAnError() {
        assertThat(problems("")).containsExactly(
                "app.yaml:1:1: <root>: empty file (expected: a mapping with listeners, routes and upstreams)");
        assertThat(problems("# only a comment\n")).hasSize(1);
    }

    @Test
    void wrongNodeKindIsAProblemNotAnException() {
        assertThat(problems("- a\n- b\n")).containsExactly(
                "app.yaml:1:1: <root>: a list (expected: a mapping with listeners, routes and upstreams)");
        String yaml = """
                listeners:
                  name: web
                routes: []
                upstreams: app
                """;
        assertThat(problems(yaml)).containsExactly(
                "app.yaml:2:3: listeners: a mapping (expected: a list of listeners)",
                "app.yaml:3:9: routes: empty list (expected: a list of routes with upstream)",
                "app.yaml:4:12: upstreams: app (expected: a mapping from upstream name to upstream)");
    }

    @Test
    void missingRequiredKeysAreReportedAtTheirMapping() {
        String yaml = """
                listeners:
                  - bind: :0
                upstreams:
                  app:
                    servers:
                      - weight: 2
                """;
        assertThat(problems(yaml)).containsExactly(
                "app.yaml:1:1: routes: missing (expected: a list of routes)",
                "app.yaml:2:5: listeners[0].name: missing (expected: a name of letters, digits, '_', '.' and '-')",
                "app.yaml:6:9: upstreams.app.servers[0].address: missing (expected: host:port like 127.0.0.1:9001)");
    }

    @Test
    void upstreamWithOnlyBackupServersIsAnError() {
        String yaml = TEMPLATE.replace("CONNECT", "1s")
                .replace("9001\n", "9001\n        backup: true\n")
                .replace("9002\n", "9002\n        backup: true\n")
                .replace("WEIGHT", "1\n        backup: true");

        assertThat(problems(yaml)).containsExactly("app.yaml:10:7: upstreams.app.servers: "
                + "every server is a backup (expected: at least one server without backup: true)");
    }

    @Test
    void booleansMustBeTrueOrFalse() {
        String yaml = TEMPLATE.replace("CONNECT", "1s").replace("WEIGHT", "1\n        backup: yes");

        assertThat(problems(yaml)).containsExactly(
                "app.yaml:14:17: upstreams.app.servers[2].backup: yes (expected: true or false)");
    }

    @Test
    void serverAddressesAreUniqueWithinAnUpstreamAndNeedARealPort() {
        String yaml = TEMPLATE.replace("CONNECT", "1s").replace("WEIGHT", "1")
                .replace("9002", "9001").replace("9003", "0");

        assertThat(problems(yaml)).containsExactly(
                "app.yaml:11:18: upstreams.app.servers[1].address: duplicate address 127.0.0.1:9001 "
                        + "(first at servers[0])",
                "app.yaml:12:18: upstreams.app.servers[2].address: 127.0.0.1:0 (expected: port 1..65535)");
    }

    @Test
    void routesWithTheSameHostAndPrefixAreAnError() {
        String yaml = """
                listeners:
                  - {name: web, bind: ":0"}
                routes:
                  - {name: a, host: Example.com, upstream: app}
                  - {name: b, host: example.com, path_prefix: /, upstream: app}
                  - {name: a, host: "bad host", path_prefix: nope, upstream: app}
                upstreams:
                  app: {servers: [{address: "127.0.0.1:1"}]}
                """;

        assertThat(problems(yaml)).containsExactly(
                "app.yaml:5:5: routes[1]: host 'example.com' and path_prefix '/' duplicates route 'a'",
                "app.yaml:6:12: routes[2].name: duplicate route name 'a' (first at routes[0])",
                "app.yaml:6:21: routes[2].host: \"bad host\" "
                        + "(expected: '*', a host name like example.com, or '*.example.com')",
                "app.yaml:6:46: routes[2].path_prefix: nope "
                        + "(expected: a path starting with '/', without spaces, '?' or '#')");
    }

    @Test
    void severalProblemsAreAllReportedInLineOrder() {
        String yaml = """
                workers: 0
                listeners:
                  - name: web
                    bind: 0.0.0.0:99999
                    idle_timout: 60s
                routes:
                  - upstream: nowhere
                upstreams:
                  app:
                    balance: fastest
                    keepalive: "64"
                    servers:
                      - address: 127.0.0.1:9001
                        weight: -1
                admin:
                  bind: localhost
                access_log:
                  format: xml
                """;

        assertThat(problems(yaml)).containsExactly(
                "app.yaml:1:10: workers: 0 (expected: 1..256)",
                "app.yaml:4:11: listeners[0].bind: 0.0.0.0:99999 has a bad port (expected: port 0..65535)",
                "app.yaml:5:5: listeners[0].idle_timout: unknown key 'idle_timout' (did you mean 'idle_timeout'?)",
                "app.yaml:7:15: routes[0].upstream: unknown upstream 'nowhere' (expected: one of app)",
                "app.yaml:10:14: upstreams.app.balance: unknown value 'fastest' "
                        + "(expected: one of round_robin, random, least_conn, ip_hash)",
                "app.yaml:11:16: upstreams.app.keepalive: \"64\" (expected: an integer in 0..10000, without quotes)",
                "app.yaml:14:17: upstreams.app.servers[0].weight: -1 (expected: 1..1000)",
                "app.yaml:16:9: admin.bind: localhost has no port "
                        + "(expected: host:port like 127.0.0.1:8080, localhost:80, [::1]:8080 or :8080)",
                "app.yaml:18:11: access_log.format: unknown value 'xml' (expected: one of combined, json, off)");
    }

    @Test
    void listenerNamesAndFixedBindsAreUniqueButPortZeroMayRepeat() {
        String yaml = """
                listeners:
                  - {name: web, bind: "0.0.0.0:8080", max_request_line: 2m}
                  - {name: web, bind: ":8080"}
                  - {name: "a b", bind: ":0"}
                  - {name: c, bind: ":0"}
                routes: [{upstream: app}]
                upstreams: {app: {servers: [{address: "127.0.0.1:1"}]}}
                """;

        assertThat(problems(yaml)).containsExactly(
                "app.yaml:2:57: listeners[0].max_request_line: 2m (expected: 64..1m)",
                "app.yaml:3:12: listeners[1].name: duplicate listener name 'web' (first at listeners[0])",
                "app.yaml:3:23: listeners[1].bind: duplicate bind 0.0.0.0:8080 (first at listeners[0])",
                "app.yaml:4:12: listeners[2].name: \"a b\" (expected: a name of letters, digits, '_', '.' and '-')");
    }

    @Test
    void mergeKeysShareSettingsBetweenUpstreams() throws Exception {
        String yaml = """
                listeners: [{name: web, bind: ":0"}]
                routes: [{upstream: canary}]
                upstreams:
                  app: &base
                    connect_timeout: 250ms
                    read_timeout: 5s
                    servers:
                      - address: 127.0.0.1:9001
                  canary:
                    <<: *base
                    read_timeout: 10s
                """;

        UpstreamConfig canary = ConfigLoader.parse("app.yaml", yaml).upstreams().get("canary");

        assertThat(canary.connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(canary.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(canary.servers()).extracting(ServerConfig::address).containsExactly(new HostPort("127.0.0.1", 9001));
    }

    @Test
    void exceptionMessageListsEveryProblemOnItsOwnLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse("x.yaml", "workers: 0\nlisteners: 1\n"));

        assertThat(e.getMessage()).isEqualTo(String.join("\n", e.problems().stream().map(Object::toString).toList()));
        assertThat(e.problems()).extracting(ConfigProblem::line).isSorted();
    }

    @Test
    void loadNamesTheFileInProblems(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        java.nio.file.Files.writeString(file, "workers: 1\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

        assertThat(e.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo(file.toString()));
    }

    private static List<String> problems(String yaml) {
        return ConfigProblems.of(yaml);
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
    }
}

package io.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The CLI's contract for bad configs: every problem as FILE:LINE:COL, and exit status 2. */
class ValidateCommandTest {
    @TempDir
    Path dir;

    private static final String GOOD = """
            listeners:
              - name: web
                bind: 127.0.0.1:0
            routes:
              - name: default
                path_prefix: /
                upstream: app
            upstreams:
              app:
                connect_timeout: 1s
                servers:
                  - address: 127.0.0.1:9001
                    weight: 5
            """;

    record Result(int exit, String out, String err) {}

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.commandLine().execute(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path write(String name, String yaml) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void validConfigExitsZero() throws Exception {
        Result r = run("validate", "--config", write("good.yaml", GOOD).toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ok");
    }

    @Test
    void validateWarnsOfAnAdminApiOpenToOtherHostsWithoutAToken() throws Exception {
        Result open = run("validate", "--config", write("open.yaml", GOOD + "admin:\n  bind: 0.0.0.0:9901\n").toString());
        assertThat(open.exit()).as(open.err()).isZero();
        assertThat(open.err()).contains("open.yaml: warning: admin listener on 0.0.0.0:9901 without admin.token");

        Result guarded = run("validate", "--config", write("guarded.yaml",
                GOOD + "admin:\n  bind: 0.0.0.0:9901\n  token: 0123456789abcdef0123\n").toString());
        assertThat(guarded.err()).doesNotContain("warning");
        Result local = run("validate", "--config", write("local.yaml", GOOD).toString());
        assertThat(local.err()).as("the default loopback listener").doesNotContain("warning");
    }

    private static String vrrp(int priority, int weight) {
        return GOOD + """
                vrrp:
                  instances:
                    - name: VI_1
                      interface: eth0
                      virtual_router_id: 51
                      priority: %d
                      virtual_ips: [192.0.2.100/24]
                      track:
                        - listener: web
                          weight: %d
                      peer_priority: 100
                """.formatted(priority, weight);
    }

    @Test
    void validateSaysWhenTrackersCanNeverMoveTheAddress() throws Exception {
        // keepalived's classic mistake: 150 vs 100 and a single weight of -20 leaves the master at 130.
        Result stuck = run("validate", "--config", write("stuck.yaml", vrrp(150, -20)).toString());
        assertThat(stuck.exit()).as(stuck.err()).isZero();
        assertThat(stuck.err()).contains("stuck.yaml: warning: (VI_1) priority 150 with every tracker failing is 130, "
                + "still above the peer's 100");

        Result fine = run("validate", "--config", write("fine.yaml", vrrp(150, -60)).toString());
        assertThat(fine.exit()).as(fine.err()).isZero();
        assertThat(fine.err()).doesNotContain("warning");
        assertThat(fine.out()).contains("fine.yaml: (VI_1) with every tracker failing the priority drops to 90, "
                + "below the peer's 100");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad weight        | '        weight: 5'         | '        weight: -1'         | 13:17 | upstreams.app.servers[0].weight
            bad duration      | '    connect_timeout: 1s'   | '    connect_timeout: 5 parsecs' | 10:22 | upstreams.app.connect_timeout
            unknown key       | '    connect_timeout: 1s'   | '    conect_timeout: 1s'     | 10:5  | upstreams.app.conect_timeout
            missing upstream  | '    upstream: app'         | '    upstream: ap'           | 7:15  | routes[0].upstream
            """)
    void badConfigGivesFileLineColumnAndExitTwo(String what, String good, String bad, String lineCol, String path) throws Exception {
        assertThat(GOOD).contains(good + "\n");
        Path f = write("bad.yaml", GOOD.replace(good + "\n", bad + "\n"));
        Result r = run("validate", "--config", f.toString());
        assertThat(r.exit()).as(what).isEqualTo(2);
        assertThat(r.err()).as(what).contains(f + ":" + lineCol + ": " + path + ": ");
    }

    @Test
    void unknownKeySuggestsTheNearestName() throws Exception {
        Path f = write("typo.yaml", GOOD.replace("connect_timeout", "conect_timeout"));
        assertThat(run("validate", "--config", f.toString()).err()).contains("connect_timeout");
    }

    @Test
    void runRefusesAnInvalidConfigWithoutServing() throws Exception {
        Path f = write("bad.yaml", GOOD.replace("weight: 5", "weight: 0"));
        Result r = run("run", "--config", f.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(":13:17: upstreams.app.servers[0].weight: ");
    }

    @Test
    void missingFileIsExitTwoWithTheName() {
        Result r = run("validate", "--config", dir.resolve("nope.yaml").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("nope.yaml: cannot read");
    }

    @Test
    void aStartFailureIsOneClearLineAndExitOne() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Path f = write("busy.yaml", GOOD.replace("bind: 127.0.0.1:0", "bind: 127.0.0.1:" + taken.getLocalPort())
                    + "admin:\n  bind: 127.0.0.1:0\naccess_log:\n  format: off\n");
            Result r = run("run", "--config", f.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("bulwark: cannot start: ").contains("listener web")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void versionNamesTheProject() {
        Result r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("bulwark 0.");
    }
}

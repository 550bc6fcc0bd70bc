package io.bulwark.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.Commands;
import io.bulwark.config.HostPort;
import io.bulwark.config.ServerConfig;
import io.bulwark.testing.RefusedPort;
import io.bulwark.upstream.Cause;
import io.bulwark.upstream.CauseKind;
import io.bulwark.upstream.Server;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ExecProbeTest {
    private static final Path CHECK_TCP = Path.of("/usr/lib/nagios/plugins/check_tcp");

    private static Cause run(List<String> command, int port, Duration timeout) throws Exception {
        Server server = new Server("app", 0, new ServerConfig(new HostPort("127.0.0.1", port), 1, false));
        CompletableFuture<Cause> result = new CompletableFuture<>();
        new ExecProbe(command, timeout).run(server, result::complete);
        return result.get(20, TimeUnit.SECONDS);
    }

    private static Cause sh(String script) throws Exception {
        return run(List.of("sh", "-c", script), 80, Duration.ofSeconds(5));
    }

    @Test
    void criticalExitFailsWithThePluginsFirstLine() throws Exception {
        assertThat(sh("echo CRITICAL - foo; echo second line; exit 2"))
                .isEqualTo(Cause.of(CauseKind.EXEC_CRITICAL, "CRITICAL - foo"));
    }

    @Test
    void exitCodesMapToNagiosStates() throws Exception {
        assertThat(sh("echo 'OK - fine|time=0.001s;;;0'; exit 0")).isEqualTo(Cause.of(CauseKind.EXEC_OK, "OK - fine"));
        Cause warning = sh("echo WARNING - slow; exit 1");
        assertThat(warning).isEqualTo(Cause.of(CauseKind.EXEC_WARNING, "WARNING - slow"));
        assertThat(warning.passing()).isTrue();
        assertThat(sh("echo UNKNOWN - what; exit 3")).isEqualTo(Cause.of(CauseKind.EXEC_UNKNOWN, "UNKNOWN - what"));
        assertThat(sh("echo oops >&2; exit 7").describe()).isEqualTo("exec UNKNOWN: exit 7: oops");
    }

    @Test
    void placeholdersAreSubstitutedWithoutAShell() throws Exception {
        assertThat(run(Commands.split("sh -c 'echo \"$0 $1\"; exit 0' {host} {port}"), 9002, Duration.ofSeconds(5)))
                .isEqualTo(Cause.of(CauseKind.EXEC_OK, "127.0.0.1 9002"));
    }

    @Test
    void aPluginThatOverrunsIsKilled() throws Exception {
        long start = System.nanoTime();
        Cause c = run(List.of("sh", "-c", "sleep 30"), 80, Duration.ofMillis(300));

        assertThat(c.kind()).isEqualTo(CauseKind.EXEC_UNKNOWN);
        assertThat(c.detail()).isEqualTo("timed out after 300ms, killed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingPluginIsUnknown() throws Exception {
        Cause c = run(List.of("/nonexistent/check_nothing"), 80, Duration.ofSeconds(1));

        assertThat(c.kind()).isEqualTo(CauseKind.EXEC_UNKNOWN);
        assertThat(c.detail()).startsWith("cannot run /nonexistent/check_nothing");
    }

    @Test
    void realCheckTcpPluginPassesAnOpenPortAndFailsAClosedOne() throws Exception {
        if (!Files.isExecutable(CHECK_TCP)) {
            Assumptions.abort(CHECK_TCP + " not installed (Debian: apt-get install monitoring-plugins-basic)");
        }
        List<String> command = Commands.split(CHECK_TCP + " -H {host} -p {port} -t 5");
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Cause ok = run(command, open.getLocalPort(), Duration.ofSeconds(10));
            assertThat(ok.kind()).isEqualTo(CauseKind.EXEC_OK);
            assertThat(ok.detail()).startsWith("TCP OK");
        }
        try (RefusedPort closed = new RefusedPort()) {
            Cause refused = run(command, closed.port(), Duration.ofSeconds(10));
            assertThat(refused.kind()).isEqualTo(CauseKind.EXEC_CRITICAL);
            assertThat(refused.detail()).containsIgnoringCase("refused");
        }
    }
}

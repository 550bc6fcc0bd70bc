package io.bulwark.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bulwark.core.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command alerts through a real /bin/sh: Nagios's environment, the text on stdin, exit codes and the timeout. */
class ExecChannelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    @TempDir
    Path dir;

    static Alert alert(Alert.Kind kind) {
        long time = Instant.parse("2026-12-07T00:41:02Z").toEpochMilli();
        return new Alert("a-7f3c", kind, Severity.CRITICAL, "gw1", time, List.of(
                new Alert.Item("upstream/app/10.0.0.5:8080", "UP", "DOWN", Severity.CRITICAL, time - 4000,
                        "L4 refused (3/3) \"quoted\" $HOME `date`"),
                new Alert.Item("upstream/app/10.0.0.6:8080", "UP", "DOWN", Severity.CRITICAL, time - 3000,
                        "L4 timeout")),
                "http://127.0.0.1:9901/");
    }

    /** A command that runs {@code script} in /bin/sh with $1 = the test's temp directory. */
    private ExecChannel shell(String script, Duration timeout) {
        return new ExecChannel("notify", List.of("/bin/sh", "-c", script, "sh", dir.toString()), timeout);
    }

    /** The NUL-separated output of {@code env -0}: values may span lines. */
    private static Map<String, String> environment(Path file) throws IOException {
        return Arrays.stream(Files.readString(file).split("\0")).filter(e -> e.contains("="))
                .map(e -> e.split("=", 2)).collect(Collectors.toMap(e -> e[0], e -> e[1], (a, b) -> b));
    }

    @Test
    void theCommandGetsNagiosEnvironmentMacrosAndTheTextOnStdin() throws Exception {
        Alert alert = alert(Alert.Kind.PROBLEM);

        shell("env -0 > \"$1/env\"; cat > \"$1/stdin\"", TIMEOUT).deliver(alert);

        Map<String, String> env = environment(dir.resolve("env"));
        assertThat(env).containsAllEntriesOf(Map.of(
                "NAGIOS_NOTIFICATIONTYPE", "PROBLEM",
                "NAGIOS_SERVICEDESC", "upstream/app/10.0.0.5:8080",
                "NAGIOS_SERVICESTATE", "DOWN",
                "NAGIOS_LASTSERVICESTATE", "UP",
                "NAGIOS_SERVICEOUTPUT", "L4 refused (3/3) \"quoted\" $HOME `date`",
                "NAGIOS_HOSTNAME", "gw1",
                // 2026-12-07 is a Monday; Nagios leaves the day of the month unpadded.
                "NAGIOS_LONGDATETIME", "Mon Dec 7 00:41:02 UTC 2026",
                "BULWARK_SEVERITY", "critical",
                "BULWARK_SUMMARY", alert.summary(),
                "BULWARK_SOURCES", "upstream/app/10.0.0.5:8080\nupstream/app/10.0.0.6:8080"));
        assertThat(env).containsEntry("BULWARK_ALERT_JSON", alert.toJson()).containsEntry("BULWARK_KIND", "PROBLEM");
        assertThat(Alert.fromJson(env.get("BULWARK_ALERT_JSON"))).isEqualTo(alert);
        assertThat(env).as("the gateway's own environment is passed on").containsKey("PATH");
        assertThat(Files.readString(dir.resolve("stdin"))).isEqualTo(alert.body());
    }

    @Test
    void kindsAreNamedAsNagiosNamesItsNotificationTypes() throws Exception {
        ExecChannel channel = shell("printf %s \"$NAGIOS_NOTIFICATIONTYPE/$BULWARK_KIND\" > \"$1/type\"", TIMEOUT);
        Map<Alert.Kind, String> expected = Map.of(
                Alert.Kind.PROBLEM, "PROBLEM/PROBLEM",
                Alert.Kind.RECOVERY, "RECOVERY/RECOVERY",
                Alert.Kind.REMINDER, "PROBLEM/REMINDER",
                Alert.Kind.FLAPPING_START, "FLAPPINGSTART/FLAPPING_START",
                Alert.Kind.FLAPPING_STOP, "FLAPPINGSTOP/FLAPPING_STOP");

        for (Alert.Kind kind : Alert.Kind.values()) {
            channel.deliver(alert(kind));
            assertThat(Files.readString(dir.resolve("type"))).as(kind.name()).isEqualTo(expected.get(kind));
        }
    }

    @Test
    void aCommandThatIgnoresStdinIsDelivered() throws Exception {
        shell("touch \"$1/ran\"", TIMEOUT).deliver(alert(Alert.Kind.PROBLEM));

        assertThat(dir.resolve("ran")).exists();
    }

    @Test
    void aNonZeroExitIsADeliveryFailureWithTheCodeAndTheFirstLineOfOutput() {
        ExecChannel channel = shell("echo; echo 'mailx: relay refused' >&2; echo second line; exit 3", TIMEOUT);

        assertThatThrownBy(() -> channel.deliver(alert(Alert.Kind.PROBLEM)))
                .isInstanceOf(DeliveryException.class)
                .hasMessage("exec /bin/sh: exit 3: mailx: relay refused");
    }

    @Test
    void aCommandThatOverrunsItsTimeIsKilledWithWhatItStarted() throws Exception {
        ExecChannel channel = shell("sleep 30 & echo $! > \"$1/child\"; echo $$ > \"$1/parent\"; wait",
                Duration.ofMillis(300));
        long started = System.nanoTime();

        assertThatThrownBy(() -> channel.deliver(alert(Alert.Kind.PROBLEM)))
                .isInstanceOf(DeliveryException.class)
                .hasMessage("exec /bin/sh: still running after 300 ms, killed");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        long parent = Long.parseLong(Files.readString(dir.resolve("parent")).strip());
        long child = Long.parseLong(Files.readString(dir.resolve("child")).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> !running(parent) && !running(child));
    }

    @Test
    void aProgramThatCannotRunIsADeliveryFailure() {
        ExecChannel channel = new ExecChannel("notify", List.of(dir.resolve("missing").toString()), TIMEOUT);

        assertThatThrownBy(() -> channel.deliver(alert(Alert.Kind.PROBLEM)))
                .isInstanceOf(DeliveryException.class)
                .hasMessageStartingWith("exec " + dir.resolve("missing") + ": cannot run it: ");
    }

    @Test
    void onlyTheProgramIsNamedInAFailureNotItsArguments() {
        ExecChannel channel = new ExecChannel("notify", List.of("/bin/sh", "-c", "exit 1", "--token=T0KEN"), TIMEOUT);

        assertThatThrownBy(() -> channel.deliver(alert(Alert.Kind.PROBLEM)))
                .isInstanceOf(DeliveryException.class)
                .hasMessage("exec /bin/sh: exit 1");
    }

    /**
     * Whether the process still runs: a killed process that is a zombie no longer does, and one whose parent died
     * may stay a zombie in a container whose init does not reap.
     */
    private static boolean running(long pid) throws IOException {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (NoSuchFileException e) {
            return false;
        }
    }
}

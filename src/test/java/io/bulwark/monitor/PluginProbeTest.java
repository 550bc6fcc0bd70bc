package io.bulwark.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PluginProbeTest {
    private static final Path PLUGINS = Path.of("/usr/lib/nagios/plugins");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /**
     * Writes the shell's pid and its sleeping child's to the file named by $1, then waits on the child; it sleeps
     * far longer than the test waits for it to be gone, so only a kill can make it go.
     */
    private static final String SLEEPER = "echo $$ > \"$1\"; sleep 30 & echo $! >> \"$1\"; wait";

    @TempDir
    Path dir;

    private static Path plugin(String name) {
        Path path = PLUGINS.resolve(name);
        Assumptions.assumeTrue(Files.isExecutable(path),
                path + " is missing (Debian: apt-get install monitoring-plugins-basic)");
        return path;
    }

    private static CheckResult run(Duration timeout, String... command) throws InterruptedException {
        return new PluginProbe(List.of(command)).run(timeout);
    }

    @ParameterizedTest(name = "check_dummy {0}: {1}")
    @CsvSource({"0, OK", "1, WARNING", "2, CRITICAL", "3, UNKNOWN"})
    void exitCodeIsTheStatusAndStdoutTheText(int code, Status expected) throws Exception {
        CheckResult result = run(TIMEOUT, plugin("check_dummy").toString(), Integer.toString(code), "all is well");

        assertThat(result.status()).isEqualTo(expected);
        assertThat(result.text()).isEqualTo(expected + ": all is well");
    }

    @Test
    void checkLoadGivesItsTextAndPerfData() throws Exception {
        CheckResult result = run(TIMEOUT, plugin("check_load").toString(), "-w", "1000", "-c", "1000");

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.text()).startsWith("LOAD OK - total load average: ");
        assertThat(result.perfData()).extracting(PerfDatum::label).containsExactly("load1", "load5", "load15");
    }

    @Test
    void stderrIsMergedIntoTheOutput() throws Exception {
        CheckResult result = run(TIMEOUT, "/bin/sh", "-c", "echo 'FOO WARNING - odd|x=1'; echo 'because' >&2; exit 1");

        assertThat(result.status()).isEqualTo(Status.WARNING);
        assertThat(result.text()).isEqualTo("FOO WARNING - odd");
        assertThat(result.longText()).isEqualTo("because");
        assertThat(result.perfData()).extracting(PerfDatum::label).containsExactly("x");
    }

    @Test
    void overrunIsCriticalAsNagiosSaysAndKillsThePluginAndItsChildren() throws Exception {
        Path pids = dir.resolve("pids");
        long start = System.nanoTime();

        CheckResult result = run(Duration.ofMillis(300), "/bin/sh", "-c", SLEEPER, "sh", pids.toString());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.text()).isEqualTo("(Service check timed out after 0.30 seconds)");
        assertAllGone(pids);
    }

    @Test
    void interruptKillsThePluginAndRethrows() throws Exception {
        Path pids = dir.resolve("pids");
        PluginProbe probe = new PluginProbe(List.of("/bin/sh", "-c", SLEEPER, "sh", pids.toString()));
        CompletableFuture<CheckResult> outcome = new CompletableFuture<>();
        Thread runner = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(probe.run(TIMEOUT));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(pids) && Files.readAllLines(pids).size() == 2);

        runner.interrupt();

        assertThat(outcome).failsWithin(Duration.ofSeconds(3))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(InterruptedException.class);
        assertAllGone(pids);
    }

    @Test
    void missingPluginIsUnknownWithTheReason() throws Exception {
        CheckResult result = run(TIMEOUT, "/nonexistent/check_foo", "-w", "1");

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.text()).isEqualTo("(could not run /nonexistent/check_foo: No such file or directory)");
    }

    @Test
    void pluginThatIsNotExecutableIsUnknownWithTheReason() throws Exception {
        Path script = Files.writeString(dir.resolve("check_foo"), "#!/bin/sh\necho OK\n");

        CheckResult result = run(TIMEOUT, script.toString());

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.text()).isEqualTo("(could not run " + script + ": Permission denied)");
    }

    @ParameterizedTest(name = "exit {0}")
    @CsvSource({"126", "127"})
    void exitCodesOfAMissingPluginAreCritical(int code) throws Exception {
        CheckResult result = run(TIMEOUT, "/bin/sh", "-c", "echo 'sh: 1: check_foo: not found'; exit " + code);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.text()).isEqualTo("(Return code of " + code + " is out of bounds - plugin may be missing)");
        assertThat(result.longText()).isEqualTo("sh: 1: check_foo: not found");
    }

    @ParameterizedTest(name = "exit {0}")
    @CsvSource({"4", "7", "255"})
    void otherExitCodesOutOfBoundsAreUnknown(int code) throws Exception {
        CheckResult result = run(TIMEOUT, "/bin/sh", "-c", "exit " + code);

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.text()).isEqualTo("(Return code of " + code + " is out of bounds)");
    }

    @Test
    void outputPastTheCapIsCut() throws Exception {
        CheckResult result = run(TIMEOUT, "/bin/sh", "-c", "yes | head -c 200000");

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.text()).isEqualTo("y");
        // 64 KiB of "y\n" is 32768 lines: the first is the text, the rest the long text.
        assertThat(result.longText().lines()).hasSize(PluginProbe.OUTPUT_CAP / 2 - 1).containsOnly("y");
    }

    /** Every pid in the file has exited (a zombie waiting for a parent that does not reap counts as gone). */
    private static void assertAllGone(Path pids) throws IOException {
        List<Long> all = Files.readAllLines(pids).stream().map(String::strip).map(Long::parseLong).toList();
        assertThat(all).hasSize(2);
        await().atMost(3, TimeUnit.SECONDS).untilAsserted(() -> assertThat(all).allMatch(PluginProbeTest::gone));
    }

    private static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}

package io.bulwark.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.bulwark.core.Threshold;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadProbeTest {
    private static final Path CHECK_LOAD = Path.of("/usr/lib/nagios/plugins/check_load");
    private static final Path PROC_LOADAVG = Path.of("/proc/loadavg");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Levels EIGHT_TWELVE = new Levels(Threshold.parse("8"), Threshold.parse("12"));

    @TempDir
    Path dir;

    private Path loadavg(String averages) throws IOException {
        return Files.writeString(dir.resolve("loadavg"), averages + " 1/114 9123\n");
    }

    /** check_load's {@code -w} and {@code -c} arguments as levels: one number for all periods, or three. */
    private static List<Levels> levels(String warn, String crit) {
        String[] w = triple(warn);
        String[] c = triple(crit);
        List<Levels> levels = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            levels.add(new Levels(Threshold.parse(w[i]), Threshold.parse(c[i])));
        }
        return levels;
    }

    private static String[] triple(String s) {
        String[] parts = s.split(",");
        return parts.length == 3 ? parts : new String[] {parts[0], parts[0], parts[0]};
    }

    @Test
    void printsTheAveragesAndPerfDataAsCheckLoadDoes() throws Exception {
        LoadProbe probe = new LoadProbe(List.of(EIGHT_TWELVE, EIGHT_TWELVE, EIGHT_TWELVE), false,
                loadavg("0.21 0.15 0.10"), 2);

        CheckResult result = probe.run(TIMEOUT);

        assertThat(result).isEqualTo(CheckResult.ofPlugin(0, "LOAD OK - total load average: 0.21, 0.15, 0.10|"
                + "load1=0.210;8.000;12.000;0; load5=0.150;8.000;12.000;0; load15=0.100;8.000;12.000;0; "));
    }

    @ParameterizedTest(name = "{0} against warn 1,2,3 crit 4,5,6: {1}")
    @CsvSource({
        "'1.00 2.00 3.00', OK",
        "'1.01 2.00 3.00', WARNING",
        "'1.00 2.00 3.01', WARNING",
        "'4.00 5.00 6.00', WARNING",
        "'4.01 0.00 0.00', CRITICAL",
        "'0.00 0.00 6.01', CRITICAL",
        "'1.01 5.01 3.00', CRITICAL",
        "'0.00 0.00 0.00', OK",
    })
    void eachPeriodHasItsOwnLevelsAndTheWorstWins(String averages, Status expected) throws Exception {
        LoadProbe probe = new LoadProbe(levels("1,2,3", "4,5,6"), false, loadavg(averages), 1);

        CheckResult result = probe.run(TIMEOUT);

        assertThat(result.status()).isEqualTo(expected);
        assertThat(result.text()).isEqualTo("LOAD " + expected + " - total load average: "
                + averages.replace(" ", ", "));
        assertThat(result.perfData()).extracting(PerfDatum::warn).containsExactly("1.000", "2.000", "3.000");
        assertThat(result.perfData()).extracting(PerfDatum::crit).containsExactly("4.000", "5.000", "6.000");
    }

    @Test
    void perCpuJudgesTheScaledAveragesAndPrintsBothLikeCheckLoadR() throws Exception {
        // Scaled 2.00, 1.00, 0.955: the 1-minute total of 4 is over 3 but its scaled 2 is not; 0.955 prints as
        // C prints it, 0.95 (the double is just below .955).
        LoadProbe probe = new LoadProbe(levels("1.5,3,3", "3,3,3"), true, loadavg("4.00 2.00 1.91"), 2);

        CheckResult result = probe.run(TIMEOUT);

        assertThat(result).isEqualTo(CheckResult.ofPlugin(1, "LOAD WARNING - scaled load average: 2.00, 1.00, 0.95"
                + " - total load average: 4.00, 2.00, 1.91|load1=4.000;;;0; scaled_load1=2.000;1.500;3.000;0; "
                + "load5=2.000;;;0; scaled_load5=1.000;3.000;3.000;0; load15=1.910;;;0; "
                + "scaled_load15=0.955;3.000;3.000;0; "));
    }

    @Test
    void rangesCheckLoadCannotWriteKeepTheRangeSyntax() throws Exception {
        Levels inside = new Levels(Threshold.parse("@0.5:1"), Threshold.parse("10:"));
        LoadProbe probe = new LoadProbe(List.of(inside, inside, inside), false, loadavg("0.75 2.00 20.00"), 1);

        CheckResult result = probe.run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.perfData()).extracting(PerfDatum::warn).containsOnly("@0.5:1");
        assertThat(result.perfData()).extracting(PerfDatum::crit).containsOnly("10:");
    }

    @Test
    void noLevelsLeaveThePerfDataRangesEmpty() throws Exception {
        LoadProbe probe = new LoadProbe(List.of(Levels.NONE, Levels.NONE, Levels.NONE), false,
                loadavg("99.00 99.00 99.00"), 1);

        CheckResult result = probe.run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.perfData()).first().isEqualTo(new PerfDatum("load1", 99.0, "", null, null, 0.0, null));
    }

    @Test
    void missingOrGarbledFileIsUnknown() throws Exception {
        List<Levels> levels = levels("8", "12");
        Path missing = dir.resolve("nope");

        assertThat(new LoadProbe(levels, false, missing, 1).run(TIMEOUT).text())
                .isEqualTo("LOAD UNKNOWN - cannot read " + missing + ": No such file or directory");
        assertThat(new LoadProbe(levels, false, loadavg("0.1 NaN 0.3"), 1).run(TIMEOUT).text())
                .isEqualTo("LOAD UNKNOWN - cannot read " + dir.resolve("loadavg") + ": \"NaN\" is not a load average");
        Path short1 = Files.writeString(dir.resolve("short"), "0.1 0.2\n");
        assertThat(new LoadProbe(levels, false, short1, 1).run(TIMEOUT).status()).isEqualTo(Status.UNKNOWN);
    }

    @Test
    void needsLevelsForExactlyThreePeriods() {
        assertThatThrownBy(() -> new LoadProbe(List.of(EIGHT_TWELVE, EIGHT_TWELVE), false, PROC_LOADAVG, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 2");
        assertThatThrownBy(() -> new LoadProbe(levels("8", "12"), true, PROC_LOADAVG, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "check_load {2} -w {0} -c {1}")
    @CsvSource({
        "'8,8,8', '12,12,12', ''",
        "'0,0,0', '1000', ''",
        "'8', '12', '-r'",
        "'0,0.01,0.02', '0.01,1000,1000', '-r'",
    })
    void matchesTheRealCheckLoadOnTheRealLoadavg(String warn, String crit, String flag) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHECK_LOAD),
                CHECK_LOAD + " is missing (Debian: apt-get install monitoring-plugins-basic)");
        boolean perCpu = flag.equals("-r");
        LoadProbe probe = new LoadProbe(levels(warn, crit), perCpu, PROC_LOADAVG, onlineCpus());
        List<String> command = new ArrayList<>(List.of(CHECK_LOAD.toString(), "-w", warn, "-c", crit));
        if (perCpu) {
            command.add(flag);
        }
        AtomicReference<CheckResult> plugin = new AtomicReference<>();
        AtomicReference<CheckResult> ours = new AtomicReference<>();
        // The kernel updates the averages every 5 s; compare two runs that saw the same ones.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String before = averages();
            plugin.set(runPlugin(command));
            ours.set(probe.run(TIMEOUT));
            return before.equals(averages());
        });

        assertThat(ours.get().text()).startsWith(perCpu ? "LOAD " + ours.get().status() + " - scaled load average: "
                : "LOAD " + ours.get().status() + " - total load average: ");
        assertThat(ours.get().perfData()).extracting(PerfDatum::label).containsExactlyElementsOf(perCpu
                ? List.of("load1", "scaled_load1", "load5", "scaled_load5", "load15", "scaled_load15")
                : List.of("load1", "load5", "load15"));
        assertThat(ours.get()).isEqualTo(plugin.get());
    }

    private static String averages() throws IOException {
        return String.join(" ", Arrays.copyOf(Files.readString(PROC_LOADAVG).split(" "), 3));
    }

    private static CheckResult runPlugin(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return CheckResult.ofPlugin(p.waitFor(), out);
    }

    /** The CPUs online, as check_load counts them (sysconf _SC_NPROCESSORS_ONLN); /proc/stat lists those. */
    private static int onlineCpus() throws IOException {
        return (int) Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
    }
}

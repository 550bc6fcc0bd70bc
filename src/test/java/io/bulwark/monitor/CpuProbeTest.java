package io.bulwark.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.core.Threshold;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuProbeTest {
    private static final Levels LEVELS = new Levels(Threshold.parse("80"), Threshold.parse("90"));
    private static final Duration SHORT = Duration.ofMillis(1);

    @TempDir
    Path dir;

    /** A /proc/stat as the kernel writes it; only the cpu line matters, the rest is there to be skipped. */
    private Path writeStat(long user, long nice, long system, long idle, long iowait, long irq, long softirq,
            long steal, long guest) throws IOException {
        Path stat = dir.resolve("stat");
        String cpu = "cpu  %d %d %d %d %d %d %d %d %d 0".formatted(user, nice, system, idle, iowait, irq, softirq,
                steal, guest);
        Files.writeString(stat, cpu + "\n"
                + "cpu0 175602 0 185361 209340 30461 0 72295 565 0 0\n"
                + "cpu1 176330 0 187667 203514 33521 0 72020 641 0 0\n"
                + "intr 10501462 0 0 0 0 0 0 0 0 0 0 0 0\n"
                + "ctxt 48737963\nbtime 1796596244\nprocesses 43181\nprocs_running 3\nprocs_blocked 0\n"
                + "softirq 401347892 0 739732 89 398880830 115914 0 3 1065808 40383 505133\n");
        return stat;
    }

    /** A probe that has had its first run on the counters written now, so the next run measures from them. */
    private CpuProbe primed(Levels levels) throws Exception {
        CpuProbe probe = new CpuProbe(levels, writeStat(1000, 0, 500, 8000, 500, 0, 0, 0, 300));
        assertThat(probe.run(SHORT).status()).isEqualTo(Status.UNKNOWN);
        return probe;
    }

    @Test
    void firstRunOverCountersThatDoNotMoveIsUnknown() throws Exception {
        CpuProbe probe = new CpuProbe(LEVELS, writeStat(1000, 0, 500, 8000, 500, 0, 0, 0, 0));

        CheckResult result = probe.run(SHORT);

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.text()).isEqualTo("CPU UNKNOWN - no CPU time passed between two samples of "
                + dir.resolve("stat"));
    }

    @Test
    void secondRunGivesBusyPercentOfTheDifferenceLeavingOutIdleIowaitAndGuest() throws Exception {
        CpuProbe probe = primed(LEVELS);
        // 100 user + 25 system busy, 300 idle + 75 iowait not; guest time is inside user already.
        writeStat(1100, 0, 525, 8300, 575, 0, 0, 0, 350);

        CheckResult result = probe.run(SHORT);

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.text()).isEqualTo("CPU OK - 25.0% busy");
        assertThat(result.perfData()).containsExactly(new PerfDatum("cpu", 25.0, "%", "80", "90", 0.0, 100.0));
    }

    @Test
    void eachRunMeasuresSinceThePreviousRunNotSinceTheFirst() throws Exception {
        CpuProbe probe = primed(LEVELS);
        writeStat(1100, 0, 500, 8000, 500, 0, 0, 0, 300);
        assertThat(probe.run(SHORT).text()).isEqualTo("CPU CRITICAL - 100.0% busy");
        // irq, softirq and steal count as busy, nice too: 100 of 190 (since the first run it would be 200 of 290).
        writeStat(1100, 10, 500, 8090, 500, 20, 30, 40, 300);

        assertThat(probe.run(SHORT).text()).isEqualTo("CPU OK - 52.6% busy");
    }

    @ParameterizedTest(name = "{0} busy of 1000 jiffies: {1}")
    @CsvSource({
        "799, OK, 79.9",
        "800, OK, 80.0",
        "801, WARNING, 80.1",
        "900, WARNING, 90.0",
        "901, CRITICAL, 90.1",
        "1000, CRITICAL, 100.0",
        "0, OK, 0.0",
    })
    void busyPercentIsJudgedWithBothEndsOfTheRangesInclusive(long busy, Status expected, String shown)
            throws Exception {
        CpuProbe probe = primed(LEVELS);
        writeStat(1000 + busy, 0, 500, 8000 + (1000 - busy), 500, 0, 0, 0, 300);

        CheckResult result = probe.run(SHORT);

        assertThat(result.status()).isEqualTo(expected);
        assertThat(result.text()).isEqualTo("CPU " + expected + " - " + shown + "% busy");
    }

    @Test
    void countersGoingBackwardsAreUnknownAndStartANewInterval() throws Exception {
        CpuProbe probe = primed(LEVELS);
        writeStat(900, 0, 500, 8000, 500, 0, 0, 0, 300);
        assertThat(probe.run(SHORT).text()).isEqualTo("CPU UNKNOWN - CPU counters in " + dir.resolve("stat")
                + " went backwards");
        writeStat(950, 0, 500, 8050, 500, 0, 0, 0, 300);

        assertThat(probe.run(SHORT).text()).isEqualTo("CPU OK - 50.0% busy");
    }

    @Test
    void missingFileIsUnknownWithTheReason() throws Exception {
        Path missing = dir.resolve("nope");

        CheckResult result = new CpuProbe(LEVELS, missing).run(SHORT);

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.text()).isEqualTo("CPU UNKNOWN - cannot read " + missing + ": No such file or directory");
    }

    @Test
    void fileWithoutACpuLineIsUnknown() throws Exception {
        Path stat = Files.writeString(dir.resolve("stat"), "cpu0 1 2 3 4 5\nintr 1\n");

        assertThat(new CpuProbe(LEVELS, stat).run(SHORT).text())
                .isEqualTo("CPU UNKNOWN - cannot read " + stat + ": no cpu line");
    }

    @Test
    void garbledCounterIsUnknown() throws Exception {
        Path stat = Files.writeString(dir.resolve("stat"), "cpu  1 2 x 4 5 6 7 8 0 0\n");

        assertThat(new CpuProbe(LEVELS, stat).run(SHORT).text())
                .isEqualTo("CPU UNKNOWN - cannot read " + stat + ": \"x\" in the cpu line is not a counter");
    }

    @Test
    void realProcStatGivesABusyPercentOnTheFirstRun() throws Exception {
        CheckResult result = new CpuProbe(Levels.NONE, Path.of("/proc/stat")).run(Duration.ofMillis(200));

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.text()).matches("CPU OK - \\d{1,3}\\.\\d% busy");
        assertThat(result.perfData()).singleElement().satisfies(d -> {
            assertThat(d.label()).isEqualTo("cpu");
            assertThat(d.unit()).isEqualTo("%");
            assertThat(d.value()).isBetween(0.0, 100.0);
            assertThat(d.min()).isEqualTo(0.0);
            assertThat(d.max()).isEqualTo(100.0);
        });
    }
}

package io.bulwark.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.core.Threshold;
import io.bulwark.monitor.MemoryProbe.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MemoryProbeTest {
    private static final Levels LEVELS = new Levels(Threshold.parse("80"), Threshold.parse("90"));
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    /** A /proc/meminfo as the kernel writes it, MemFree well below MemAvailable as on a host with a page cache. */
    private Path meminfo(long totalKb, long availableKb) throws IOException {
        return Files.writeString(dir.resolve("meminfo"), """
                MemTotal:       %d kB
                MemFree:        %d kB
                MemAvailable:   %d kB
                Buffers:            2508 kB
                Cached:           265988 kB
                SwapCached:            0 kB
                Active:           137740 kB
                SwapTotal:             0 kB
                SwapFree:              0 kB
                HugePages_Total:       0
                Hugepagesize:       2048 kB
                """.formatted(totalKb, availableKb / 2, availableKb));
    }

    @Test
    void ramIsTotalLessAvailableOverTotal() throws Exception {
        MemoryProbe probe = new MemoryProbe(LEVELS, Kind.RAM, meminfo(8 * 1024 * 1024, 4_932_000));

        CheckResult result = probe.run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.text()).isEqualTo("MEMORY OK - 41.2% of RAM used (3.3 GiB of 8.0 GiB)");
        assertThat(result.perfData()).containsExactly(new PerfDatum("ram", 41.2, "%", "80", "90", 0.0, 100.0));
    }

    @ParameterizedTest(name = "{1} kB available of 1000000: {2}")
    @CsvSource({
        "1000000, 200000, OK, 80.0",
        "1000000, 199000, WARNING, 80.1",
        "1000000, 100000, WARNING, 90.0",
        "1000000, 99000, CRITICAL, 90.1",
        "1000000, 0, CRITICAL, 100.0",
        "1000000, 1000000, OK, 0.0",
    })
    void percentIsJudgedAtTheEdgesOfTheLevels(long total, long available, Status expected, String shown)
            throws Exception {
        CheckResult result = new MemoryProbe(LEVELS, Kind.RAM, meminfo(total, available)).run(TIMEOUT);

        assertThat(result.status()).isEqualTo(expected);
        assertThat(result.text()).startsWith("MEMORY " + expected + " - " + shown + "% of RAM used (");
    }

    @Test
    void meminfoWithoutMemAvailableIsUnknown() throws Exception {
        Path old = Files.writeString(dir.resolve("meminfo"), "MemTotal: 1000 kB\nMemFree: 500 kB\n");

        CheckResult result = new MemoryProbe(LEVELS, Kind.RAM, old).run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.UNKNOWN);
        assertThat(result.text()).isEqualTo("MEMORY UNKNOWN - no MemAvailable in " + old);
    }

    @Test
    void missingOrGarbledFileIsUnknown() throws Exception {
        Path missing = dir.resolve("nope");
        Path garbled = Files.writeString(dir.resolve("garbled"), "MemTotal: lots kB\nMemAvailable: 1 kB\n");

        assertThat(new MemoryProbe(LEVELS, Kind.RAM, missing).run(TIMEOUT).text())
                .isEqualTo("MEMORY UNKNOWN - cannot read " + missing + ": No such file or directory");
        assertThat(new MemoryProbe(LEVELS, Kind.RAM, garbled).run(TIMEOUT).text())
                .isEqualTo("MEMORY UNKNOWN - cannot read " + garbled + ": \"MemTotal: lots kB\" has no size in kB");
    }

    @Test
    void realMeminfoGivesAPlausiblePercent() throws Exception {
        CheckResult result = new MemoryProbe(Levels.NONE, Kind.RAM, Path.of("/proc/meminfo")).run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.text()).matches("MEMORY OK - \\d{1,3}\\.\\d% of RAM used \\(\\S+ \\S+ of \\S+ \\S+\\)");
        assertThat(result.perfData()).singleElement().satisfies(d -> {
            assertThat(d.label()).isEqualTo("ram");
            assertThat(d.unit()).isEqualTo("%");
            assertThat(d.value()).isBetween(0.0, 100.0);
        });
    }

    @Test
    void heapIsThisJvmsAndTheLevelsApply() throws Exception {
        Levels anyUse = new Levels(null, Threshold.parse("@0:100"));

        CheckResult quiet = new MemoryProbe(Levels.NONE, Kind.HEAP, null).run(TIMEOUT);
        CheckResult alarmed = new MemoryProbe(anyUse, Kind.HEAP, null).run(TIMEOUT);

        assertThat(quiet.status()).isEqualTo(Status.OK);
        assertThat(quiet.text()).matches("MEMORY OK - \\d{1,3}\\.\\d% of heap used \\(\\S+ \\S+ of \\S+ \\S+\\)");
        assertThat(quiet.perfData()).singleElement().satisfies(d -> {
            assertThat(d.label()).isEqualTo("heap");
            assertThat(d.value()).isGreaterThan(0.0).isLessThanOrEqualTo(100.0);
        });
        assertThat(alarmed.status()).isEqualTo(Status.CRITICAL);
        assertThat(alarmed.perfData().getFirst().crit()).isEqualTo("@100");
    }
}

package io.bulwark.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bulwark.core.Threshold;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Threshold ANY = Threshold.parse("@0:100");

    @TempDir
    Path dir;

    @Test
    void realDirectoryGivesThePercentUsedOfItsFileSystem() throws Exception {
        FileStore store = Files.getFileStore(dir);
        double expected = 100.0 * (store.getTotalSpace() - store.getUsableSpace()) / store.getTotalSpace();

        CheckResult result = new DiskProbe(Levels.NONE, dir).run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.text()).matches("DISK OK - " + Pattern.quote(dir.toString())
                + " \\d{1,3}\\.\\d% used \\(\\S+ \\S+ of \\S+ \\S+\\)");
        assertThat(result.perfData()).singleElement().satisfies(d -> {
            assertThat(d.label()).isEqualTo(dir.toString());
            assertThat(d.unit()).isEqualTo("%");
            // Others write to the same file system meanwhile; a percent point is plenty of room for that.
            assertThat(d.value()).isCloseTo(expected, within(1.0));
            assertThat(d.min()).isEqualTo(0.0);
            assertThat(d.max()).isEqualTo(100.0);
        });
    }

    @Test
    void levelsApplyToThePercent() throws Exception {
        CheckResult warned = new DiskProbe(new Levels(ANY, null), dir).run(TIMEOUT);
        CheckResult critical = new DiskProbe(new Levels(ANY, ANY), dir).run(TIMEOUT);
        CheckResult roomy = new DiskProbe(new Levels(Threshold.parse("100"), Threshold.parse("100")), dir)
                .run(TIMEOUT);

        assertThat(warned.status()).isEqualTo(Status.WARNING);
        assertThat(warned.text()).startsWith("DISK WARNING - " + dir + " ");
        assertThat(critical.status()).isEqualTo(Status.CRITICAL);
        assertThat(critical.perfData().getFirst().crit()).isEqualTo("@100");
        assertThat(roomy.status()).isEqualTo(Status.OK);
    }

    @Test
    void missingPathIsCriticalAsCheckDiskSaysIt() throws Exception {
        Path missing = dir.resolve("nope");

        CheckResult result = new DiskProbe(Levels.NONE, missing).run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.text())
                .isEqualTo("DISK CRITICAL - " + missing + " is not accessible: No such file or directory");
        assertThat(result.perfData()).isEmpty();
    }

    @Test
    void pathThroughAFileIsCriticalWithStrerrorsWords() throws Exception {
        Path underFile = Files.writeString(dir.resolve("file"), "x").resolve("sub");

        CheckResult result = new DiskProbe(Levels.NONE, underFile).run(TIMEOUT);

        assertThat(result.text()).isEqualTo("DISK CRITICAL - " + underFile + " is not accessible: Not a directory");
    }

    @Test
    void rootFileSystemHasTheSameShape() throws Exception {
        CheckResult result = new DiskProbe(Levels.NONE, Path.of("/")).run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.OK);
        assertThat(result.text()).matches("DISK OK - / \\d{1,3}\\.\\d% used \\(\\S+ \\S+ of \\S+ \\S+\\)");
        assertThat(result.perfData()).extracting(PerfDatum::label).containsExactly("/");
    }
}

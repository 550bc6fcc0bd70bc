package io.bulwark.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Outputs below are what the plugins really print (monitoring-plugins 2.3 and 2.3.3 on Debian unless said). */
class PluginOutputTest {
    private static final Path CHECK_LOAD = Path.of("/usr/lib/nagios/plugins/check_load");

    private static PerfDatum datum(String label, double value, String unit, String warn, String crit, Double min,
            Double max) {
        return new PerfDatum(label, value, unit, warn, crit, min, max);
    }

    @Test
    void checkLoadGivesItsTextAndThreeLoadAverages() {
        PluginOutput out = PluginOutput.parse("LOAD OK - total load average: 0.21, 0.15, 0.10|"
                + "load1=0.210;8.000;12.000;0; load5=0.150;8.000;12.000;0; load15=0.100;8.000;12.000;0; ");

        assertThat(out.text()).isEqualTo("LOAD OK - total load average: 0.21, 0.15, 0.10");
        assertThat(out.longText()).isEmpty();
        assertThat(out.perfData()).containsExactly(
                datum("load1", 0.21, "", "8.000", "12.000", 0.0, null),
                datum("load5", 0.15, "", "8.000", "12.000", 0.0, null),
                datum("load15", 0.10, "", "8.000", "12.000", 0.0, null));
    }

    @Test
    void checkDiskGivesBytesWithMinAndMax() {
        PluginOutput out = PluginOutput.parse("DISK OK - free space: / 81683MiB (78% inode=97%);"
                + "| /=23292018688B;243497277849;257024904396;0;270552530944\n");

        assertThat(out.text()).isEqualTo("DISK OK - free space: / 81683MiB (78% inode=97%);");
        assertThat(out.longText()).isEmpty();
        assertThat(out.perfData()).containsExactly(
                datum("/", 23292018688.0, "B", "243497277849", "257024904396", 0.0, 270552530944.0));
    }

    @Test
    void checkHttpGivesSecondsAndBytesWithEmptyThresholds() {
        PluginOutput out = PluginOutput.parse("HTTP OK: HTTP/1.1 200 OK - 612 bytes in 0.001 second response time "
                + "|time=0.000650s;;;0.000000;10.000000 size=612B;;;0\n");

        assertThat(out.text()).isEqualTo("HTTP OK: HTTP/1.1 200 OK - 612 bytes in 0.001 second response time");
        assertThat(out.perfData()).containsExactly(
                datum("time", 0.000650, "s", null, null, 0.0, 10.0),
                datum("size", 612, "B", null, null, 0.0, null));
    }

    @Test
    void checkHttpOfMonitoringPlugins233EndsItsLastItemWithASemicolon() {
        PluginOutput out = PluginOutput.parse("HTTP OK: HTTP/1.0 200 OK - 190 bytes in 0.001 second response time "
                + "|time=0.001430s;;;0.000000;10.000000 size=190B;;;0;\n");

        assertThat(out.perfData()).containsExactly(
                datum("time", 0.001430, "s", null, null, 0.0, 10.0),
                datum("size", 190, "B", null, null, 0.0, null));
    }

    @Test
    void checkHttpThatCannotConnectPrintsTheReasonFirstAndTheStatusLineSecond() {
        PluginOutput out = PluginOutput.parse("connect to address 127.0.0.1 and port 80: Connection refused\n"
                + "HTTP CRITICAL - Unable to open TCP socket\n");

        assertThat(out.text()).isEqualTo("connect to address 127.0.0.1 and port 80: Connection refused");
        assertThat(out.longText()).isEqualTo("HTTP CRITICAL - Unable to open TCP socket");
        assertThat(out.perfData()).isEmpty();
    }

    @Test
    void checkPingGivesMillisecondsAndAPercentage() {
        PluginOutput out = PluginOutput.parse("PING OK - Packet loss = 0%, RTA = 0.07 ms"
                + "|rta=0.068000ms;100.000000;500.000000;0.000000 pl=0%;20;60;0;\n");

        assertThat(out.text()).isEqualTo("PING OK - Packet loss = 0%, RTA = 0.07 ms");
        assertThat(out.perfData()).containsExactly(
                datum("rta", 0.068, "ms", "100.000000", "500.000000", 0.0, null),
                datum("pl", 0, "%", "20", "60", 0.0, null));
    }

    @Test
    void checkUsersSwapProcsTcpAndFileAgeGiveTheirItems() {
        assertThat(PluginOutput.parse("USERS OK - 0 users currently logged in |users=0;5;10;0\n").perfData())
                .containsExactly(datum("users", 0, "", "5", "10", 0.0, null));
        assertThat(PluginOutput.parse("SWAP CRITICAL - 0% free (0MB out of 0MB) - Swap is either disabled, not "
                + "present, or of zero size. |swap=0B;0;0;0;0\n").perfData())
                .containsExactly(datum("swap", 0, "B", "0", "0", 0.0, 0.0));
        assertThat(PluginOutput.parse("PROCS OK: 75 processes | procs=75;;;0;\n").perfData())
                .containsExactly(datum("procs", 75, "", null, null, 0.0, null));
        assertThat(PluginOutput.parse("TCP OK - 0.000 second response time on 127.0.0.1 port 18089"
                + "|time=0.000098s;;;0.000000;10.000000\n").perfData())
                .containsExactly(datum("time", 0.000098, "s", null, null, 0.0, 10.0));
        // check_file_age is a Perl plugin: no trailing semicolons at all.
        assertThat(PluginOutput.parse("FILE_AGE CRITICAL: /etc/hostname is 6141 seconds old and 3 bytes "
                + "| age=6141s;60;120 size=3B;0;0;0\n").perfData())
                .containsExactly(datum("age", 6141, "s", "60", "120", null, null),
                        datum("size", 3, "B", "0", "0", 0.0, null));
    }

    /** The multi-line example of the Nagios Core "Plugin API" documentation, as printed there. */
    @Test
    void nagiosCoreMultiLineExampleSplitsIntoTextLongTextAndFourItems() {
        PluginOutput out = PluginOutput.parse("""
                DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968
                / 15272 MB (77%);
                /boot 68 MB (69%);
                /home 69357 MB (27%);
                /var/log 819 MB (84%); | /boot=68MB;88;93;0;98
                /home=69357MB;253404;253409;0;253414\s
                /var/log=818MB;970;975;0;980
                """);

        assertThat(out.text()).isEqualTo("DISK OK - free space: / 3326 MB (56%);");
        assertThat(out.longText()).isEqualTo("""
                / 15272 MB (77%);
                /boot 68 MB (69%);
                /home 69357 MB (27%);
                /var/log 819 MB (84%);""");
        assertThat(out.perfData()).containsExactly(
                datum("/", 2643, "MB", "5948", "5958", 0.0, 5968.0),
                datum("/boot", 68, "MB", "88", "93", 0.0, 98.0),
                datum("/home", 69357, "MB", "253404", "253409", 0.0, 253414.0),
                datum("/var/log", 818, "MB", "970", "975", 0.0, 980.0));
    }

    @Test
    void aPipeInALaterLineTurnsEveryFollowingLineIntoPerfDataEvenWithoutAnotherPipe() {
        PluginOutput out = PluginOutput.parse("OK - two checks|a=1\nfirst is fine\nsecond is fine|b=2\nc=3\nd=4");

        assertThat(out.longText()).isEqualTo("first is fine\nsecond is fine");
        assertThat(out.perfData()).extracting(PerfDatum::label).containsExactly("a", "b", "c", "d");
    }

    @Test
    void firstLinePerfDataDoesNotRunIntoTheLaterPartsFirstItem() {
        // Nagios itself would glue "x=1;;;0;" and "y=2" into one word; the parts are kept apart here.
        PluginOutput out = PluginOutput.parse("OK|x=1;;;0;\nmore|y=2");

        assertThat(out.perfData()).extracting(PerfDatum::label).containsExactly("x", "y");
    }

    @Test
    void aUsageErrorHasNoPerfDataAndItsUsageLinesAsLongText() {
        PluginOutput out = PluginOutput.parse("check_load: Could not parse arguments\nUsage:\n"
                + "check_load [-r] -w WLOAD1,WLOAD5,WLOAD15 -c CLOAD1,CLOAD5,CLOAD15 [-n NUMBER_OF_PROCS]\n");

        assertThat(out.text()).isEqualTo("check_load: Could not parse arguments");
        assertThat(out.longText()).isEqualTo(
                "Usage:\ncheck_load [-r] -w WLOAD1,WLOAD5,WLOAD15 -c CLOAD1,CLOAD5,CLOAD15 [-n NUMBER_OF_PROCS]");
        assertThat(out.perfData()).isEmpty();
    }

    @Test
    void windowsLineEndsAreTolerated() {
        PluginOutput out = PluginOutput.parse("OK - fine |time=1s;2;3\r\nline two\r\nline three | n=4\r\n");

        assertThat(out.text()).isEqualTo("OK - fine");
        assertThat(out.longText()).isEqualTo("line two\nline three");
        assertThat(out.perfData()).containsExactly(datum("time", 1, "s", "2", "3", null, null),
                datum("n", 4, "", null, null, null, null));
    }

    @Test
    void aMissingTrailingNewlineChangesNothing() {
        assertThat(PluginOutput.parse("OK - fine|a=1\nmore")).isEqualTo(PluginOutput.parse("OK - fine|a=1\nmore\n"));
    }

    @Test
    void emptyOutputHasEmptyTextAndNothingElse() {
        for (String stdout : new String[] {"", "\n", null}) {
            PluginOutput out = PluginOutput.parse(stdout);
            assertThat(out.text()).isEmpty();
            assertThat(out.longText()).isEmpty();
            assertThat(out.perfData()).isEmpty();
        }
    }

    @Test
    void longTextKeepsIndentationButDropsBlankEdgesAndTrailingSpaces() {
        PluginOutput out = PluginOutput.parse("OK\n\n  \\_ [OK] a   \n  \\_ [OK] b\n\n");

        assertThat(out.longText()).isEqualTo("  \\_ [OK] a\n  \\_ [OK] b");
    }

    @Test
    void quotedLabelsMayHoldSpacesEqualsSignsAndDoubledQuotes() {
        PluginOutput out = PluginOutput.parse(
                "OK | 'C:\\ Label: Data  Serial Number 1234'=10MB;20;30;0;40 'it''s'=1 'a=b'=2 'x y'=3c");

        assertThat(out.perfData()).containsExactly(
                datum("C:\\ Label: Data  Serial Number 1234", 10, "MB", "20", "30", 0.0, 40.0),
                datum("it's", 1, "", null, null, null, null),
                datum("a=b", 2, "", null, null, null, null),
                datum("x y", 3, "c", null, null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"1s, s", "1ms, ms", "1us, us", "1%, %", "1B, B", "1KB, KB", "1MB, MB", "1TB, TB", "1c, c",
        "1, ''", "1GB, GB", "1MiB, MiB"})
    void theUnitIsWhateverFollowsTheNumber(String value, String unit) {
        assertThat(PluginOutput.parse("OK|v=" + value).perfData()).singleElement()
                .satisfies(d -> assertThat(d.unit()).isEqualTo(unit))
                .satisfies(d -> assertThat(d.value()).isEqualTo(1.0));
    }

    @Test
    void negativeDecimalAndExponentValuesAreRead() {
        assertThat(PluginOutput.parse("OK|offset=-0.000123s;60;120; t=-5;-10:-1;~:0;-20;20 e=1.5e-3s").perfData())
                .containsExactly(datum("offset", -0.000123, "s", "60", "120", null, null),
                        datum("t", -5, "", "-10:-1", "~:0", -20.0, 20.0),
                        datum("e", 0.0015, "s", null, null, null, null));
    }

    @Test
    void aValueOfUMeansUndeterminedAndIsKeptAsNaN() {
        assertThat(PluginOutput.parse("UNKNOWN|temp=U;50;60").perfData()).singleElement()
                .satisfies(d -> assertThat(d.value()).isNaN())
                .satisfies(d -> assertThat(d.warn()).isEqualTo("50"));
    }

    @Test
    void malformedItemsAreSkippedAndTheGoodOnesKept() {
        PluginOutput out = PluginOutput.parse("PING OK - Packet loss = 0%, RTA = 0.30 ms| =3;;;; dgasdg =;;;; "
                + "sff=;;;; percent_packet_loss=0, rta=0.80 | x=abc y=1;;;zero; z=1;;;;;9 'open=5 "
                + "n=1,5 ''=4 ok=7;;;; w=2;;;0;10;;");

        assertThat(out.text()).isEqualTo("PING OK - Packet loss = 0%, RTA = 0.30 ms");
        assertThat(out.perfData()).containsExactly(
                datum("rta", 0.80, "", null, null, null, null),
                datum("ok", 7, "", null, null, null, null),
                datum("w", 2, "", null, null, 0.0, 10.0));
    }

    @Test
    void perfDataIsImmutable() {
        PluginOutput out = PluginOutput.parse("OK|a=1");

        assertThat(out.perfData()).isUnmodifiable();
    }

    /** Runs the installed plugin so the parser meets this machine's real output, not a copy of it. */
    @Test
    void realCheckLoadReportsThreeLoadAveragesWithTheirThresholds() throws IOException, InterruptedException {
        Assumptions.assumeTrue(Files.isExecutable(CHECK_LOAD),
                CHECK_LOAD + " not installed (Debian: apt-get install monitoring-plugins-basic)");
        Process p = new ProcessBuilder(CHECK_LOAD.toString(), "-w", "8,8,8", "-c", "12,12,12")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("check_load finished").isTrue();

        PluginOutput out = PluginOutput.parse(stdout);

        assertThat(out.text()).as(stdout).startsWith("LOAD ");
        assertThat(out.perfData()).as(stdout).extracting(PerfDatum::label)
                .containsExactly("load1", "load5", "load15");
        assertThat(out.perfData()).as(stdout).allSatisfy(d -> {
            assertThat(d.warn()).isEqualTo("8.000");
            assertThat(d.crit()).isEqualTo("12.000");
            assertThat(d.min()).isEqualTo(0.0);
            assertThat(d.value()).isGreaterThanOrEqualTo(0.0);
        });
    }
}

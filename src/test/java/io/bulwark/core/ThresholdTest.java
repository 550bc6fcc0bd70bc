package io.bulwark.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThresholdTest {
    private static final String EXPECTED = " (expected: a range like 10, 10:, ~:10, 10:20 or @10:20)";

    /** The "Example ranges" table of the plugin guidelines, each row probed at, just inside and just outside its ends. */
    @ParameterizedTest(name = "{0} with {1} alerts: {2}")
    @CsvSource({
        // 10: alert if < 0 or > 10
        "10, -1, true", "10, -0.001, true", "10, 0, false", "10, 5, false", "10, 10, false", "10, 10.001, true",
        "10, 11, true",
        // 10: alert if < 10
        "10:, -1, true", "10:, 9.999, true", "10:, 10, false", "10:, 10.001, false", "10:, 1e300, false",
        // ~:10 alert if > 10
        "~:10, -1e300, false", "~:10, -1, false", "~:10, 10, false", "~:10, 10.001, true", "~:10, 11, true",
        // 10:20 alert if < 10 or > 20
        "10:20, 9.999, true", "10:20, 10, false", "10:20, 15, false", "10:20, 20, false", "10:20, 20.001, true",
        "10:20, 0, true",
        // @10:20 alert if >= 10 and <= 20
        "@10:20, 9.999, false", "@10:20, 10, true", "@10:20, 15, true", "@10:20, 20, true", "@10:20, 20.001, false",
    })
    void theGuidelinesExampleRangesAlertAsTheTableSays(String range, double value, boolean alerts) {
        assertThat(Threshold.parse(range).alerts(value)).isEqualTo(alerts);
    }

    @ParameterizedTest(name = "{0} with {1} alerts: {2}")
    @CsvSource({
        "0.5, -0.001, true", "0.5, 0, false", "0.5, 0.5, false", "0.5, 0.5001, true",
        "1.25:2.75, 1.2499, true", "1.25:2.75, 1.25, false", "1.25:2.75, 2.75, false", "1.25:2.75, 2.7501, true",
        ".5:1., 0.4999, true", ".5:1., 0.5, false", ".5:1., 1, false", ".5:1., 1.0001, true",
        "@0.1:0.2, 0.0999, false", "@0.1:0.2, 0.1, true", "@0.1:0.2, 0.2, true", "@0.1:0.2, 0.2001, false",
    })
    void decimalBoundsAreInclusiveToo(String range, double value, boolean alerts) {
        assertThat(Threshold.parse(range).alerts(value)).isEqualTo(alerts);
    }

    @ParameterizedTest(name = "{0} with {1} alerts: {2}")
    @CsvSource({
        "-10:-5, -10.001, true", "-10:-5, -10, false", "-10:-5, -7, false", "-10:-5, -5, false",
        "-10:-5, -4.999, true", "-10:-5, 0, true",
        "-10:, -10.001, true", "-10:, -10, false", "-10:, 1e300, false",
        "~:-5, -1e300, false", "~:-5, -5, false", "~:-5, -4.999, true",
        "@-10:-5, -10.001, false", "@-10:-5, -10, true", "@-10:-5, -5, true", "@-10:-5, -4.999, false",
        "-0.5:0.5, -0.501, true", "-0.5:0.5, -0.5, false", "-0.5:0.5, 0.5, false", "-0.5:0.5, 0.501, true",
    })
    void negativeBoundsWork(String range, double value, boolean alerts) {
        assertThat(Threshold.parse(range).alerts(value)).isEqualTo(alerts);
    }

    @ParameterizedTest(name = "~: with {0}")
    @CsvSource({"-1e300", "-1", "0", "1", "1e300", "-Infinity", "Infinity"})
    void anUnboundedRangeNeverAlertsAndItsAtFormAlwaysDoes(double value) {
        assertThat(Threshold.parse("~:").alerts(value)).isFalse();
        assertThat(Threshold.parse("@~:").alerts(value)).isTrue();
    }

    @ParameterizedTest(name = "@~:10 with {0} alerts: {1}")
    @CsvSource({"-1e300, true", "-1, true", "0, true", "10, true", "10.001, false", "1e300, false"})
    void anAtRangeFromNegativeInfinityAlertsAtAndBelowItsEnd(double value, boolean alerts) {
        assertThat(Threshold.parse("@~:10").alerts(value)).isEqualTo(alerts);
    }

    @Test
    void anAtRangeAlertsInsideItsBoundsAndAPlainOneOutside() {
        Threshold outside = Threshold.parse("10:20");
        Threshold inside = Threshold.parse("@10:20");
        for (double v : new double[] {9, 10, 15, 20, 21}) {
            assertThat(inside.alerts(v)).as("at %s", v).isEqualTo(!outside.alerts(v));
        }
    }

    /** The guidelines' "Command line examples": critical wins over warning, both read as ranges. */
    @ParameterizedTest(name = "-w {0} -c {1} with {2} is {3}")
    @CsvSource({
        "10, 20, 5, OK", "10, 20, 15, WARNING", "10, 20, 25, CRITICAL", "10, 20, -1, CRITICAL",
        "~:10, ~:20, -1, OK", "~:10, ~:20, 15, WARNING", "~:10, ~:20, 25, CRITICAL",
        "10:, 20, 5, WARNING", "10:, 20, 15, OK", "10:, 20, 25, CRITICAL", "10:, 20, -1, CRITICAL",
        "~:0, 10, 0, OK", "~:0, 10, 5, WARNING", "~:0, 10, 11, CRITICAL", "~:0, 10, -1, CRITICAL",
        "~:, 1:, 0, CRITICAL", "~:, 1:, 1, OK",
        "~:, 5:6, 4.9, CRITICAL", "~:, 5:6, 5, OK", "~:, 5:6, 6, OK", "~:, 5:6, 6.1, CRITICAL",
        "~:, @10:20, 9, OK", "~:, @10:20, 10, CRITICAL", "~:, @10:20, 20, CRITICAL", "~:, @10:20, 21, OK",
    })
    void theGuidelinesCommandLineExamplesGiveTheStatusTheySay(String warn, String crit, double value, String status) {
        String actual = Threshold.parse(crit).alerts(value) ? "CRITICAL"
                : Threshold.parse(warn).alerts(value) ? "WARNING"
                : "OK";
        assertThat(actual).isEqualTo(status);
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
        "10, 10", "0:10, 10", "10:, 10:", "0:, 0:", "~:10, ~:10", "10:20, 10:20", "@10:20, @10:20", "@10, @10",
        "~:, ~:", "@~:, @~:", "@~:10, @~:10", "0.50, 0.5", "-10:-5, -10:-5", "10.0:20.00, 10:20", "1e3, 1000",
        "0.000001, 0.000001", "-0:5, 5", "' 10:20 ', 10:20", "+5:, 5:",
    })
    void printsItsShortestFormWhichReadsBackTheSame(String written, String printed) {
        Threshold t = Threshold.parse(written);

        assertThat(t).hasToString(printed);
        assertThat(Threshold.parse(t.toString())).isEqualTo(t);
    }

    @Test
    void sameRangeWrittenTwoWaysIsEqualAndADifferentOneIsNot() {
        assertThat(Threshold.parse("10")).isEqualTo(Threshold.parse("0:10")).hasSameHashCodeAs(Threshold.parse("0:10"));
        assertThat(Threshold.parse("10")).isNotEqualTo(Threshold.parse("@10"));
        assertThat(Threshold.parse("10")).isNotEqualTo(Threshold.parse("10:"));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "10:5 | start 10 is greater than end 5 (expected: start <= end, as in 5:10)",
        "@10:5 | start 10 is greater than end 5 (expected: start <= end, as in @5:10)",
        "-5 | start 0 is greater than end -5 (expected: start <= end, as in -5:0)",
        "abc | \"abc\" is not a number" + EXPECTED,
        "10:abc | \"abc\" is not a number in \"10:abc\"" + EXPECTED,
        "`` | threshold is empty" + EXPECTED,
        "`   ` | threshold is empty" + EXPECTED,
        "1:2:3 | \"1:2:3\" has more than one colon" + EXPECTED,
        "@ | \"@\" has no range after the @" + EXPECTED,
        ": | \":\" has nothing before the colon (expected: a number or ~ as start, as in 0:10 or ~:10,"
                + " or no colon at all, as in 10)",
        ":10 | \":10\" has nothing before the colon (expected: a number or ~ as start, as in 0:10 or ~:10,"
                + " or no colon at all, as in 10)",
        "~ | \"~\" is not a number; ~ stands for negative infinity and only as start" + EXPECTED,
        "10:~ | \"~\" is not a number in \"10:~\"; ~ stands for negative infinity and only as start" + EXPECTED,
        "NaN | \"NaN\" is not a number" + EXPECTED,
        "Infinity: | \"Infinity\" is not a number in \"Infinity:\"" + EXPECTED,
        "10d | \"10d\" is not a number" + EXPECTED,
        "10 : 20 | \"10 \" is not a number in \"10 : 20\"" + EXPECTED,
        "@@10 | \"@10\" is not a number in \"@@10\"" + EXPECTED,
        "1e999 | \"1e999\" is too large for a double"
                + " (expected: ~ as start for negative infinity, or an empty end for positive infinity)",
    })
    void badInputIsRejectedSayingWhatIsWrongAndWhatWasExpected(String text, String message) {
        assertThatThrownBy(() -> Threshold.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void nullIsRejectedLikeEmptyText() {
        assertThatThrownBy(() -> Threshold.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold is empty" + EXPECTED);
    }

    @Test
    void notANumberIsInsideNoRange() {
        assertThat(Threshold.parse("10:20").alerts(Double.NaN)).isTrue();
        assertThat(Threshold.parse("@10:20").alerts(Double.NaN)).isFalse();
    }
}

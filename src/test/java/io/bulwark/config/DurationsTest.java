package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"250ms, PT0.25S", "2s, PT2S", "1m, PT1M", "1h, PT1H", "0s, PT0S", " 30s , PT30S"})
    void parsesEachUnit(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @Test
    void bareNumberAsksForAUnit() {
        assertThatThrownBy(() -> Durations.parse("5"))
                .hasMessage("5 has no unit (expected: 5ms, 5s, 5m or 5h)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 parsecs", "-1s", "1.5s", "5S", "s", "", "1d", "5 s"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(expected: a duration like 250ms, 2s, 1m or 1h)");
    }

    @Test
    void refusesOverflowInsteadOfWrapping() {
        assertThatThrownBy(() -> Durations.parse("99999999999999999h")).hasMessageContaining("too large");
        assertThatThrownBy(() -> Durations.parse("999999999999999999999ms")).hasMessageContaining("too large");
    }

    @Test
    void formatsWithTheLargestExactUnit() {
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(120))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
    }

    @Test
    void formatThenParseRoundTripsForRandomDurations() {
        Random random = new Random(42);
        String[] units = {"ms", "s", "m", "h"};
        for (int i = 0; i < 10_000; i++) {
            String text = random.nextInt(1_000_000) + units[random.nextInt(units.length)];
            Duration parsed = Durations.parse(text);
            String formatted = Durations.format(parsed);
            assertThat(Durations.parse(formatted)).as(text).isEqualTo(parsed);
            assertThat(formatted.length()).as(text).isLessThanOrEqualTo(text.length() + 1);
        }
    }
}

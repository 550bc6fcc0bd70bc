package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {
    @ParameterizedTest
    @CsvSource({"512, 512", "64k, 65536", "64K, 65536", "1m, 1048576", "1M, 1048576", "1g, 1073741824", "0, 0"})
    void parsesBinaryMultiplesCaseInsensitively(String text, long expected) {
        assertThat(Sizes.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"64kb", "-1", "1.5k", "k", "", "1t", "64 k"})
    void refusesWhatIsNotASize(String text) {
        assertThatThrownBy(() -> Sizes.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("(expected: a size like 512, 64k, 1m or 1g)");
    }

    @Test
    void refusesOverflowInsteadOfWrapping() {
        assertThatThrownBy(() -> Sizes.parse("99999999999999g")).hasMessageContaining("too large");
    }

    @Test
    void formatsWithTheLargestExactUnit() {
        assertThat(Sizes.format(8192)).isEqualTo("8k");
        assertThat(Sizes.format(1536)).isEqualTo("1536");
        assertThat(Sizes.format(3L << 30)).isEqualTo("3g");
        assertThat(Sizes.format(0)).isEqualTo("0");
    }

    @Test
    void formatThenParseRoundTripsForRandomSizes() {
        Random random = new Random(42);
        String[] units = {"", "k", "m", "g", "K", "M", "G"};
        for (int i = 0; i < 10_000; i++) {
            String text = random.nextInt(1_000_000) + units[random.nextInt(units.length)];
            long parsed = Sizes.parse(text);
            assertThat(Sizes.parse(Sizes.format(parsed))).as(text).isEqualTo(parsed);
        }
    }
}

package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
    @Test
    void suggestsTheClosestKnownWord() {
        assertThat(DidYouMean.hint("balanse", List.of("balance", "servers", "keepalive")))
                .isEqualTo("(did you mean 'balance'?)");
        assertThat(DidYouMean.hint("round_robbin", List.of("round_robin", "random", "least_conn", "ip_hash")))
                .isEqualTo("(did you mean 'round_robin'?)");
    }

    @Test
    void listsTheChoicesWhenNothingIsClose() {
        assertThat(DidYouMean.hint("zzz", List.of("json", "combined", "off")))
                .isEqualTo("(expected: one of json, combined, off)");
    }

    @Test
    void distanceCountsEdits() {
        assertThat(DidYouMean.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(DidYouMean.distance("", "abc")).isEqualTo(3);
        assertThat(DidYouMean.distance("Same", "same")).isZero();
    }
}

package io.bulwark.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The rules refuse values Nagios could not run with, saying what was wrong and what was expected. */
class CheckRulesTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static CheckRules rules(Duration check, Duration retry, int attempts, double low, double high) {
        return new CheckRules(check, retry, attempts, low, high);
    }

    @Test
    void defaultsAreNagiosSampleService() {
        assertThat(CheckRules.defaults()).isEqualTo(new CheckRules(
                Duration.ofMinutes(5), Duration.ofMinutes(1), 3, 25.0, 50.0));
    }

    @Test
    void intervalsMustBePositive() {
        assertThatThrownBy(() -> rules(Duration.ZERO, MINUTE, 3, 25, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("checkInterval: PT0S (expected: a positive duration)");
        assertThatThrownBy(() -> rules(MINUTE, Duration.ofSeconds(-1), 3, 25, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retryInterval: PT-1S (expected: a positive duration)");
        assertThatThrownBy(() -> rules(null, MINUTE, 3, 25, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("checkInterval: null (expected: a positive duration)");
    }

    @Test
    void maxCheckAttemptsIsAtLeastOne() {
        assertThatThrownBy(() -> rules(MINUTE, MINUTE, 0, 25, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxCheckAttempts: 0 (expected: at least 1)");
        assertThat(rules(MINUTE, MINUTE, 1, 25, 50).maxCheckAttempts()).isEqualTo(1);
    }

    @Test
    void flapThresholdsArePercentsWithLowBelowHigh() {
        assertThatThrownBy(() -> rules(MINUTE, MINUTE, 3, -1, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lowFlapThreshold: -1.0 (expected: a percent 0..100)");
        assertThatThrownBy(() -> rules(MINUTE, MINUTE, 3, 25, 100.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("highFlapThreshold: 100.5 (expected: a percent 0..100)");
        assertThatThrownBy(() -> rules(MINUTE, MINUTE, 3, 25, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("highFlapThreshold: NaN (expected: a percent 0..100)");
        assertThatThrownBy(() -> rules(MINUTE, MINUTE, 3, 50, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lowFlapThreshold: 50.0 (expected: below highFlapThreshold 50.0)");
        assertThat(rules(MINUTE, MINUTE, 3, 0, 100).highFlapThreshold()).isEqualTo(100.0);
    }
}

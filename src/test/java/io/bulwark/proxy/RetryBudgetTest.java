package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private static final long SECOND = 1_000_000_000L;

    private static int retriesAllowed(RetryBudget b, long now, int asking) {
        int n = 0;
        for (int i = 0; i < asking; i++) {
            if (b.allows(now)) {
                b.spend(now);
                n++;
            }
        }
        return n;
    }

    @Test
    void allowsAShareOfRequestsPlusAFloorPerSecond() {
        RetryBudget b = new RetryBudget(20, 1);
        long now = 5 * SECOND;
        for (int i = 0; i < 100; i++) {
            b.request(now);
        }
        // 20 % of 100, plus 1/s over the 10 s window.
        assertThat(retriesAllowed(b, now, 1000)).isEqualTo(30);
    }

    @Test
    void requestsAndRetriesAgeOutOfTheTenSecondWindow() {
        RetryBudget b = new RetryBudget(50, 0);
        long t0 = 100 * SECOND;
        for (int i = 0; i < 10; i++) {
            b.request(t0);
        }
        assertThat(retriesAllowed(b, t0, 100)).isEqualTo(5);
        assertThat(retriesAllowed(b, t0 + 9 * SECOND, 100)).isZero();

        // Ten seconds on, the old requests no longer pay for retries, and the old retries no longer count.
        long later = t0 + 10 * SECOND;
        assertThat(retriesAllowed(b, later, 100)).isZero();
        for (int i = 0; i < 4; i++) {
            b.request(later);
        }
        assertThat(retriesAllowed(b, later, 100)).isEqualTo(2);
    }

    @Test
    void zeroPercentWithoutFloorAllowsNone() {
        RetryBudget b = new RetryBudget(0, 0);
        b.request(0);
        assertThat(b.allows(0)).isFalse();
    }
}

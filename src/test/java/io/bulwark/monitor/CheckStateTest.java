package io.bulwark.monitor;

import static io.bulwark.monitor.StateType.HARD;
import static io.bulwark.monitor.StateType.SOFT;
import static io.bulwark.monitor.Status.CRITICAL;
import static io.bulwark.monitor.Status.OK;
import static io.bulwark.monitor.Status.WARNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nagios's service state logic in virtual time, each result coming in when the state says the next check is
 * due: SOFT and HARD states, the check and retry intervals, and flap detection as Nagios Core computes it.
 */
class CheckStateTest {
    private static final long MINUTE = 60_000_000_000L;

    private CheckState state;
    private int results;
    private final List<String> flapping = new ArrayList<>();

    private void start(CheckRules rules) {
        state = new CheckState(rules, 0);
        results = 0;
        flapping.clear();
    }

    private static CheckRules rules(int maxCheckAttempts) {
        return new CheckRules(Duration.ofMinutes(5), Duration.ofMinutes(1), maxCheckAttempts, 25.0, 50.0);
    }

    /** Runs the next check when it is due; notes flapping's start and end as "result-number STARTED|STOPPED". */
    private Verdict check(Status result) {
        Verdict v = state.record(result, state.nextCheckNanos());
        results++;
        if (v.flappingStarted()) {
            flapping.add(results + " STARTED");
        }
        if (v.flappingStopped()) {
            flapping.add(results + " STOPPED");
        }
        return v;
    }

    private void feed(Status... script) {
        for (Status s : script) {
            check(s);
        }
    }

    private static Status[] alternating(Status first, Status second, int count) {
        Status[] script = new Status[count];
        for (int i = 0; i < count; i++) {
            script[i] = i % 2 == 0 ? first : second;
        }
        return script;
    }

    private static Status[] repeat(Status s, int count) {
        Status[] script = new Status[count];
        Arrays.fill(script, s);
        return script;
    }

    private static Verdict verdict(Status from, StateType fromType, Status to, StateType toType, int attempt,
            boolean change, boolean hardChange) {
        return new Verdict(from, fromType, to, toType, attempt, change, hardChange, false, false);
    }

    @Test
    void aProblemIsSoftUntilMaxCheckAttemptsThenHard() {
        start(CheckRules.defaults());
        assertThat(state.nextCheckNanos()).as("first check due at the start").isZero();

        assertThat(check(OK)).isEqualTo(verdict(OK, HARD, OK, HARD, 1, false, false));
        assertThat(state.nextCheckNanos()).isEqualTo(5 * MINUTE);
        assertThat(check(CRITICAL)).isEqualTo(verdict(OK, HARD, CRITICAL, SOFT, 1, true, false));
        assertThat(state.nextCheckNanos()).as("retry_interval while SOFT").isEqualTo(6 * MINUTE);
        assertThat(check(CRITICAL)).isEqualTo(verdict(CRITICAL, SOFT, CRITICAL, SOFT, 2, false, false));
        assertThat(state.nextCheckNanos()).isEqualTo(7 * MINUTE);
        assertThat(state.hard()).isFalse();
        assertThat(state.lastHardChangeNanos()).isZero();

        assertThat(check(CRITICAL)).isEqualTo(verdict(CRITICAL, SOFT, CRITICAL, HARD, 3, false, true));
        assertThat(state.hard()).isTrue();
        assertThat(state.attempt()).isEqualTo(3);
        assertThat(state.lastHardChangeNanos()).isEqualTo(7 * MINUTE);
        assertThat(state.nextCheckNanos()).as("check_interval once HARD").isEqualTo(12 * MINUTE);
        assertThat(check(CRITICAL)).isEqualTo(verdict(CRITICAL, HARD, CRITICAL, HARD, 3, false, false));
        assertThat(state.nextCheckNanos()).isEqualTo(17 * MINUTE);
    }

    @Test
    void aChangeBetweenProblemsWhileSoftKeepsCountingAttempts() {
        start(CheckRules.defaults());
        assertThat(check(WARNING)).isEqualTo(verdict(OK, HARD, WARNING, SOFT, 1, true, false));
        assertThat(check(CRITICAL)).isEqualTo(verdict(WARNING, SOFT, CRITICAL, SOFT, 2, true, false));
        assertThat(check(CRITICAL)).isEqualTo(verdict(CRITICAL, SOFT, CRITICAL, HARD, 3, false, true));
    }

    @Test
    void oneCheckAttemptMakesTheFirstProblemHardAtOnce() {
        start(rules(1));
        check(OK);
        assertThat(check(CRITICAL)).isEqualTo(verdict(OK, HARD, CRITICAL, HARD, 1, true, true));
        assertThat(state.nextCheckNanos()).as("check_interval, no retries").isEqualTo(10 * MINUTE);
        assertThat(state.lastHardChangeNanos()).isEqualTo(5 * MINUTE);
    }

    @Test
    void okAfterAHardProblemIsAHardRecovery() {
        start(CheckRules.defaults());
        feed(CRITICAL, CRITICAL, CRITICAL);
        assertThat(check(OK)).isEqualTo(verdict(CRITICAL, HARD, OK, HARD, 1, true, true));
        assertThat(state.lastHardChangeNanos()).isEqualTo(7 * MINUTE);
        assertThat(state.nextCheckNanos()).isEqualTo(12 * MINUTE);
    }

    @Test
    void okAfterASoftProblemIsASoftRecoveryAndNoHardChange() {
        start(CheckRules.defaults());
        feed(CRITICAL, CRITICAL);
        assertThat(check(OK)).isEqualTo(verdict(CRITICAL, SOFT, OK, HARD, 1, true, false));
        assertThat(state.hard()).isTrue();
        assertThat(state.nextCheckNanos()).as("check_interval again").isEqualTo(7 * MINUTE);
        assertThat(state.lastHardChangeNanos()).as("the HARD state stayed OK").isZero();
    }

    @Test
    void warningToCriticalWhileHardIsAHardStateChange() {
        start(CheckRules.defaults());
        feed(WARNING, WARNING, WARNING);
        assertThat(check(CRITICAL)).isEqualTo(verdict(WARNING, HARD, CRITICAL, HARD, 3, true, true));
        assertThat(state.lastHardChangeNanos()).isEqualTo(7 * MINUTE);
    }

    @Test
    void anAlternatingCheckStartsFlappingOnceAndStopsOnceAfterItSettles() {
        start(rules(1));
        feed(alternating(CRITICAL, OK, 8));
        assertThat(state.flapping()).isFalse();
        // Place p weighs 0.75 + (p - 1) × 0.5 / 19; the percent is the sum over changes × 100 / 20.
        assertThat(state.percentStateChange()).as("8 changes at places 13..20")
                .isCloseTo(30 + 310.0 / 19, within(1e-9));
        feed(CRITICAL);
        assertThat(state.flapping()).isTrue();
        assertThat(state.percentStateChange()).as("9 changes at places 12..20, just over 50")
                .isCloseTo(33.75 + 337.5 / 19, within(1e-9));
        feed(alternating(OK, CRITICAL, 11));
        assertThat(state.percentStateChange()).as("the whole history alternates").isCloseTo(100.0, within(1e-9));
        // Settled: each OK pushes the changes one place older. 13 OKs leave them at places 1..7 (29.0 %), 14 at
        // places 1..6 (24.5 %), at or below 25.
        feed(repeat(OK, 13));
        assertThat(state.flapping()).isTrue();
        feed(OK);
        assertThat(state.flapping()).isFalse();
        feed(repeat(OK, 10));

        assertThat(flapping).containsExactly("9 STARTED", "34 STOPPED");
    }

    @Test
    void percentStateChangeWeighsNewerChangesMore() {
        start(rules(1));
        feed(repeat(CRITICAL, 21));
        assertThat(state.percentStateChange()).as("21 equal results").isZero();

        start(rules(1));
        feed(alternating(CRITICAL, OK, 21));
        assertThat(state.percentStateChange()).as("21 alternating results").isCloseTo(100.0, within(1e-9));

        start(rules(1));
        feed(CRITICAL);
        assertThat(state.percentStateChange()).as("one change, the newest: weight 1.25 of 20")
                .isCloseTo(6.25, within(1e-9));

        start(rules(1));
        feed(CRITICAL);
        feed(repeat(OK, 20));
        assertThat(state.percentStateChange()).as("one change, the oldest: weight 0.75 of 20")
                .isCloseTo(3.75, within(1e-9));

        start(rules(1));
        feed(repeat(OK, 11));
        feed(repeat(WARNING, 10));
        assertThat(state.percentStateChange()).as("one change in the middle, place 11: 0.75 + 10 × 0.5 / 19")
                .isCloseTo((0.75 + 10 * 0.5 / 19) * 5, within(1e-9));

        start(rules(1));
        feed(WARNING, CRITICAL);
        assertThat(state.percentStateChange()).as("a change between problems counts: places 19 and 20")
                .isCloseTo((0.75 + 18 * 0.5 / 19 + 1.25) * 5, within(1e-9));
    }

    @Test
    void problemsStillBeingConfirmedAreNotRecordedForFlapping() {
        // Nagios records only HARD results and SOFT recoveries: a check bouncing between a first SOFT problem and
        // OK never flaps.
        start(CheckRules.defaults());
        feed(alternating(CRITICAL, OK, 40));
        assertThat(state.percentStateChange()).isZero();
        assertThat(flapping).isEmpty();
    }
}

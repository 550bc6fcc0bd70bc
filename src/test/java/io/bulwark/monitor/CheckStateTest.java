package io.bulwark.monitor;

import static io.bulwark.monitor.Notification.FLAPPING_START;
import static io.bulwark.monitor.Notification.FLAPPING_STOP;
import static io.bulwark.monitor.Notification.PROBLEM;
import static io.bulwark.monitor.Notification.RECOVERY;
import static io.bulwark.monitor.Notification.RENOTIFY;
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

/** Nagios's service state logic in virtual time: each result comes in when the state says the next check is due. */
class CheckStateTest {
    private static final long MINUTE = 60_000_000_000L;

    private CheckState state;
    private long now;
    private int results;
    private final List<String> sent = new ArrayList<>();

    private void start(CheckRules rules) {
        state = new CheckState(rules, 0);
    }

    /** Runs the next check when it is due and notes what it sends as "minute notification". */
    private Verdict check(Status result) {
        now = state.nextCheckNanos();
        Verdict v = state.record(result, now);
        results++;
        v.notifications().forEach(n -> sent.add(now / MINUTE + "m " + n));
        return v;
    }

    /** Runs checks returning {@code result} while they are due before {@code minutes}. */
    private void checkUntil(Status result, long minutes) {
        while (state.nextCheckNanos() < minutes * MINUTE) {
            check(result);
        }
    }

    /** Records results one after another, noting what each sends as "result-number notification". */
    private void feed(Status... script) {
        for (Status s : script) {
            now = state.nextCheckNanos();
            Verdict v = state.record(s, now);
            results++;
            v.notifications().forEach(n -> sent.add(results + " " + n));
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

    private static CheckRules rules(int maxCheckAttempts, Duration notificationInterval) {
        return new CheckRules(Duration.ofMinutes(5), Duration.ofMinutes(1), maxCheckAttempts, notificationInterval,
                25.0, 50.0);
    }

    @Test
    void aProblemIsSoftUntilMaxCheckAttemptsThenHardAndNotifiedOnce() {
        start(CheckRules.defaults());
        assertThat(state.nextCheckNanos()).as("first check due at the start").isZero();

        assertThat(check(OK)).isEqualTo(new Verdict(OK, HARD, OK, HARD, 1, false, false, List.of()));
        assertThat(state.nextCheckNanos()).isEqualTo(5 * MINUTE);

        assertThat(check(CRITICAL)).isEqualTo(new Verdict(OK, HARD, CRITICAL, SOFT, 1, true, false, List.of()));
        assertThat(state.nextCheckNanos()).as("retry_interval while SOFT").isEqualTo(6 * MINUTE);
        assertThat(check(CRITICAL)).isEqualTo(new Verdict(CRITICAL, SOFT, CRITICAL, SOFT, 2, false, false, List.of()));
        assertThat(state.nextCheckNanos()).isEqualTo(7 * MINUTE);
        assertThat(state.hard()).isFalse();
        assertThat(state.lastHardChangeNanos()).isZero();

        assertThat(check(CRITICAL))
                .isEqualTo(new Verdict(CRITICAL, SOFT, CRITICAL, HARD, 3, false, true, List.of(PROBLEM)));
        assertThat(state.hard()).isTrue();
        assertThat(state.attempt()).isEqualTo(3);
        assertThat(state.lastHardChangeNanos()).isEqualTo(7 * MINUTE);
        assertThat(state.nextCheckNanos()).as("check_interval once HARD").isEqualTo(12 * MINUTE);

        assertThat(check(CRITICAL)).isEqualTo(new Verdict(CRITICAL, HARD, CRITICAL, HARD, 3, false, false, List.of()));
        assertThat(state.nextCheckNanos()).isEqualTo(17 * MINUTE);
        assertThat(sent).containsExactly("7m PROBLEM");
    }

    @Test
    void aChangeBetweenProblemsWhileSoftKeepsCountingAttempts() {
        start(CheckRules.defaults());

        assertThat(check(WARNING)).isEqualTo(new Verdict(OK, HARD, WARNING, SOFT, 1, true, false, List.of()));
        assertThat(check(CRITICAL)).isEqualTo(new Verdict(WARNING, SOFT, CRITICAL, SOFT, 2, true, false, List.of()));
        assertThat(check(CRITICAL))
                .isEqualTo(new Verdict(CRITICAL, SOFT, CRITICAL, HARD, 3, false, true, List.of(PROBLEM)));
        assertThat(sent).containsExactly("2m PROBLEM");
    }

    @Test
    void oneCheckAttemptMakesTheFirstProblemHardAtOnce() {
        start(rules(1, Duration.ofMinutes(60)));
        check(OK);

        assertThat(check(CRITICAL)).isEqualTo(new Verdict(OK, HARD, CRITICAL, HARD, 1, true, true, List.of(PROBLEM)));
        assertThat(state.nextCheckNanos()).as("check_interval, no retries").isEqualTo(10 * MINUTE);
        assertThat(state.lastHardChangeNanos()).isEqualTo(5 * MINUTE);
        assertThat(sent).containsExactly("5m PROBLEM");
    }

    @Test
    void aLastingHardProblemIsRenotifiedEveryNotificationInterval() {
        start(CheckRules.defaults());

        checkUntil(CRITICAL, 130);

        // SOFT at 0 and 1 minute, HARD at 2; checks every 5 minutes from there: 7, 12, ... 57 are too early,
        // 62 is the first at least 60 minutes after 2, 122 the first 60 minutes after 62.
        assertThat(sent).containsExactly("2m PROBLEM", "62m RENOTIFY", "122m RENOTIFY");
        assertThat(results).isEqualTo(28);
    }

    @Test
    void reNotificationCountsFromTheLastNotificationNotFromTheLastCheck() {
        start(rules(1, Duration.ofMinutes(7)));

        checkUntil(CRITICAL, 30);

        // Checks at 0, 5, 10, ...: 5 is only 5 minutes after 0, 10 is 10; then 15 is 5 after 10, 20 is 10.
        assertThat(sent).containsExactly("0m PROBLEM", "10m RENOTIFY", "20m RENOTIFY");
    }

    @Test
    void aZeroNotificationIntervalNotifiesOnlyOnce() {
        start(rules(3, Duration.ZERO));

        checkUntil(CRITICAL, 130);

        assertThat(sent).containsExactly("2m PROBLEM");
    }

    @Test
    void okAfterAHardProblemIsOneRecovery() {
        start(CheckRules.defaults());
        check(CRITICAL);
        check(CRITICAL);
        check(CRITICAL);

        assertThat(check(OK)).isEqualTo(new Verdict(CRITICAL, HARD, OK, HARD, 1, true, true, List.of(RECOVERY)));
        assertThat(state.lastHardChangeNanos()).isEqualTo(7 * MINUTE);
        assertThat(state.nextCheckNanos()).isEqualTo(12 * MINUTE);
        check(OK);
        check(OK);

        assertThat(sent).containsExactly("2m PROBLEM", "7m RECOVERY");
    }

    @Test
    void okAfterASoftProblemIsASoftRecoveryWithoutNotification() {
        start(CheckRules.defaults());
        check(CRITICAL);
        check(CRITICAL);

        assertThat(check(OK)).isEqualTo(new Verdict(CRITICAL, SOFT, OK, HARD, 1, true, false, List.of()));
        assertThat(state.hard()).isTrue();
        assertThat(state.nextCheckNanos()).as("check_interval again").isEqualTo(7 * MINUTE);
        assertThat(state.lastHardChangeNanos()).as("the HARD state stayed OK").isZero();
        check(OK);

        assertThat(sent).isEmpty();
    }

    @Test
    void warningToCriticalWhileHardIsAHardStateChangeNotifiedAsAProblem() {
        start(CheckRules.defaults());
        check(WARNING);
        check(WARNING);
        check(WARNING);

        assertThat(check(CRITICAL))
                .isEqualTo(new Verdict(WARNING, HARD, CRITICAL, HARD, 3, true, true, List.of(PROBLEM)));
        assertThat(state.lastHardChangeNanos()).isEqualTo(7 * MINUTE);
        // The re-notification clock starts again from the CRITICAL notification at 7 minutes.
        checkUntil(CRITICAL, 70);
        check(OK);
        check(OK);

        assertThat(sent).containsExactly("2m PROBLEM", "7m PROBLEM", "67m RENOTIFY", "72m RECOVERY");
    }

    @Test
    void anAlternatingCheckNotifiesFlappingStartAndStopOnceAndNothingBetween() {
        start(rules(1, Duration.ofMinutes(60)));

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

        // Settled: each OK pushes the changes one place older until the last ones drop out. 13 OKs leave the
        // changes at places 1..7 (29.0 %), 14 leave them at 1..6 (24.5 %), at or below 25.
        feed(repeat(OK, 13));
        assertThat(state.flapping()).isTrue();
        feed(OK);
        assertThat(state.flapping()).isFalse();
        feed(repeat(OK, 10));

        assertThat(sent).containsExactly(
                "1 PROBLEM", "2 RECOVERY", "3 PROBLEM", "4 RECOVERY", "5 PROBLEM", "6 RECOVERY", "7 PROBLEM",
                "8 RECOVERY", "9 FLAPPING_START", "34 FLAPPING_STOP");
    }

    @Test
    void aRecoveryHeldBackByFlappingIsSentWhenFlappingStops() {
        start(rules(1, Duration.ofMinutes(60)));

        // Between two problem statuses, each change HARD and notified, until the ninth starts flapping.
        feed(alternating(WARNING, CRITICAL, 9));
        Verdict recovered = state.record(OK, now = state.nextCheckNanos());
        results++;
        assertThat(recovered.hardStateChange()).isTrue();
        assertThat(recovered.notifications()).as("held back while flapping").isEmpty();
        feed(repeat(OK, 13));
        Verdict stopped = state.record(OK, now = state.nextCheckNanos());

        assertThat(stopped.notifications()).containsExactly(FLAPPING_STOP, RECOVERY);
        assertThat(sent).containsExactly(
                "1 PROBLEM", "2 PROBLEM", "3 PROBLEM", "4 PROBLEM", "5 PROBLEM", "6 PROBLEM", "7 PROBLEM",
                "8 PROBLEM", "9 FLAPPING_START");
    }

    @Test
    void aProblemThatBeganWhileFlappingIsNotifiedOnceFlappingStops() {
        start(rules(1, Duration.ofMinutes(60)));
        feed(alternating(CRITICAL, OK, 9));
        feed(repeat(CRITICAL, 13));
        assertThat(state.flapping()).isTrue();

        feed(CRITICAL);

        assertThat(state.flapping()).isFalse();
        assertThat(sent).endsWith("9 FLAPPING_START", "23 FLAPPING_STOP", "23 PROBLEM");
    }

    @Test
    void percentStateChangeWeighsNewerChangesMore() {
        CheckRules everyResultHard = rules(1, Duration.ofMinutes(60));
        start(everyResultHard);
        feed(repeat(CRITICAL, 21));
        assertThat(state.percentStateChange()).as("21 equal results").isZero();

        start(everyResultHard);
        feed(alternating(CRITICAL, OK, 21));
        assertThat(state.percentStateChange()).as("21 alternating results").isCloseTo(100.0, within(1e-9));

        start(everyResultHard);
        feed(CRITICAL);
        assertThat(state.percentStateChange()).as("one change, the newest: weight 1.25 of 20")
                .isCloseTo(6.25, within(1e-9));

        start(everyResultHard);
        feed(CRITICAL);
        feed(repeat(OK, 20));
        assertThat(state.percentStateChange()).as("one change, the oldest: weight 0.75 of 20")
                .isCloseTo(3.75, within(1e-9));

        start(everyResultHard);
        feed(repeat(OK, 11));
        feed(repeat(WARNING, 10));
        assertThat(state.percentStateChange()).as("one change in the middle, place 11: 0.75 + 10 × 0.5 / 19")
                .isCloseTo((0.75 + 10 * 0.5 / 19) * 5, within(1e-9));

        start(everyResultHard);
        feed(WARNING, CRITICAL);
        assertThat(state.percentStateChange()).as("a change between problems counts: places 19 and 20")
                .isCloseTo((0.75 + 18 * 0.5 / 19 + 1.25) * 5, within(1e-9));
    }

    @Test
    void problemsStillBeingConfirmedAreNotRecordedForFlapping() {
        // Nagios records only HARD results and SOFT recoveries: a check bouncing between a first SOFT problem
        // and OK neither notifies nor flaps.
        start(CheckRules.defaults());
        feed(alternating(CRITICAL, OK, 40));

        assertThat(state.percentStateChange()).isZero();
        assertThat(state.flapping()).isFalse();
        assertThat(sent).isEmpty();
    }
}

package io.bulwark.monitor;

import java.util.Objects;

/**
 * Nagios Core 4's state logic for one service check, driven by its results in virtual time: SOFT and HARD states,
 * when to check next, and flap detection. Whom to tell, and when, is the alarms' ({@code alert.Notifications}),
 * for every kind of event alike.
 *
 * <ul>
 *   <li>From HARD OK a problem is SOFT, attempt 1; each further problem result counts an attempt (a change between
 *       problem statuses while SOFT too) until {@code maxCheckAttempts} makes it HARD. With one attempt the first
 *       problem is HARD at once.
 *   <li>OK after a SOFT problem is a SOFT recovery: a state change, back to HARD OK, but no HARD state change. OK
 *       after a HARD problem is a HARD recovery.
 *   <li>While HARD, a change to another problem status (WARNING to CRITICAL) is a HARD state change.
 *   <li>Checks follow {@code retryInterval} while a problem is SOFT and {@code checkInterval} otherwise.
 * </ul>
 *
 * <p>Flap detection follows Nagios Core's source ({@code base/flapping.c}) where its documentation is loose: only
 * HARD results and SOFT recoveries are recorded (a problem still being confirmed is not, nor does it decide
 * flapping), changes are weighted 0.75 (oldest) to 1.25 (newest), see {@link StateHistory}, and flapping starts at
 * or above the high threshold and stops at or below the low one. A SOFT recovery leaves
 * {@link #lastHardChangeNanos()} alone: the HARD state was OK before and after.
 *
 * <p>No clock is read here: time comes in with each result. Not thread-safe: one owner records the results.
 */
public final class CheckState {
    private final CheckRules rules;
    private final StateHistory history = new StateHistory();
    private Status status = Status.OK;
    private StateType type = StateType.HARD;
    private int attempt = 1;
    private long nextCheckNanos;
    private long lastHardChangeNanos;
    private boolean flapping;
    private double percentStateChange;

    /**
     * A check put in service at {@code startNanos}: HARD OK, as Nagios starts every service, with its first check
     * due then.
     */
    public CheckState(CheckRules rules, long startNanos) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.nextCheckNanos = startNanos;
        this.lastHardChangeNanos = startNanos;
    }

    /** Consumes one check result that came in at {@code nowNanos} and says what it led to. */
    public Verdict record(Status result, long nowNanos) {
        Objects.requireNonNull(result, "result");
        Status previousStatus = status;
        StateType previousType = type;
        boolean hardChange;
        if (!result.problem()) {
            hardChange = recover();
        } else if (!status.problem()) {
            hardChange = startProblem();
        } else if (type == StateType.SOFT) {
            hardChange = retryProblem();
        } else {
            hardChange = result != status;
        }
        boolean stateChange = result != previousStatus;
        status = result;
        if (hardChange) {
            lastHardChangeNanos = nowNanos;
        }

        boolean wasFlapping = flapping;
        if (!(type == StateType.SOFT && result.problem())) {
            detectFlapping(result);
        }
        nextCheckNanos = nowNanos + (type == StateType.SOFT ? rules.retryInterval() : rules.checkInterval()).toNanos();
        return new Verdict(previousStatus, previousType, status, type, attempt, stateChange, hardChange,
                flapping && !wasFlapping, wasFlapping && !flapping);
    }

    /** OK: back to HARD OK; a HARD state change only if the problem was HARD. */
    private boolean recover() {
        boolean hardRecovery = status.problem() && type == StateType.HARD;
        type = StateType.HARD;
        attempt = 1;
        return hardRecovery;
    }

    /** A problem after OK: attempt 1, HARD at once only when one attempt is all it takes. */
    private boolean startProblem() {
        attempt = 1;
        return confirmIfLastAttempt();
    }

    /** A further problem while SOFT, of any problem status: one more attempt. */
    private boolean retryProblem() {
        attempt++;
        return confirmIfLastAttempt();
    }

    private boolean confirmIfLastAttempt() {
        boolean confirmed = attempt >= rules.maxCheckAttempts();
        type = confirmed ? StateType.HARD : StateType.SOFT;
        return confirmed;
    }

    private void detectFlapping(Status result) {
        percentStateChange = history.add(result);
        if (!flapping && percentStateChange >= rules.highFlapThreshold()) {
            flapping = true;
        } else if (flapping && percentStateChange <= rules.lowFlapThreshold()) {
            flapping = false;
        }
    }

    /** When the next check is due: the start, until the first result. */
    public long nextCheckNanos() {
        return nextCheckNanos;
    }

    /** The status of the last result, OK before any. */
    public Status status() {
        return status;
    }

    /** Whether the state is HARD (settled) rather than SOFT (a problem being confirmed). */
    public boolean hard() {
        return type == StateType.HARD;
    }

    /** The state type, SOFT or HARD. */
    public StateType type() {
        return type;
    }

    /** The current check attempt: 1 while OK, 1..max while SOFT, max while HARD non-OK. */
    public int attempt() {
        return attempt;
    }

    /** Whether the check is flapping: changing state too often for each change to be worth telling. */
    public boolean flapping() {
        return flapping;
    }

    /** The weighted percent state change over the last 21 recorded results, 0..100. */
    public double percentStateChange() {
        return percentStateChange;
    }

    /** When the HARD state last changed: the start, until it first does. */
    public long lastHardChangeNanos() {
        return lastHardChangeNanos;
    }
}

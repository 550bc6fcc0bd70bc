package io.bulwark.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Nagios Core 4's state logic for one service check, driven by its results in virtual time: SOFT and HARD states,
 * when to check next, flap detection, and which results are worth a notification.
 *
 * <ul>
 *   <li>From HARD OK a problem is SOFT, attempt 1; each further problem result counts an attempt (a change between
 *       problem statuses while SOFT too) until {@code maxCheckAttempts} makes it HARD. With one attempt the first
 *       problem is HARD at once.
 *   <li>OK after a SOFT problem is a SOFT recovery: a state change, back to HARD OK, never notified. OK after a HARD
 *       problem is a HARD recovery, notified only if the problem was.
 *   <li>Checks follow {@code retryInterval} while a problem is SOFT and {@code checkInterval} otherwise.
 *   <li>A HARD problem is notified as {@link Notification#PROBLEM} when it begins and when it changes status
 *       (WARNING to CRITICAL is a HARD state change, and Nagios sends it as a PROBLEM notification with the new
 *       status), then as {@link Notification#RENOTIFY} at the first result at least {@code notificationInterval}
 *       after the last notification; never again if that interval is zero.
 *   <li>Flapping is decided on every recorded result, before the notification (as Nagios does), so the result that starts
 *       flapping is itself held back. While flapping, problem, re-notification and recovery notifications are held
 *       back; flapping sends exactly one {@link Notification#FLAPPING_START} and one {@link Notification#FLAPPING_STOP}.
 *       A notified problem whose recovery was held back still owes it: it is sent once flapping stops while OK.
 * </ul>
 *
 * <p>Flap detection follows Nagios Core's source ({@code base/flapping.c}) where its documentation is loose: only
 * HARD results and SOFT recoveries are recorded (a problem still being confirmed is not, nor does it decide
 * flapping), changes are weighted 0.75 (oldest) to 1.25 (newest), see {@link StateHistory}, and flapping starts at
 * or above the high threshold and stops at or below the low one.
 *
 * <p>Readings chosen where the rules leave room:
 * <ul>
 *   <li>After a state change the next eligible HARD problem result notifies at once (Nagios resets its
 *       next-notification time on every state change), so a problem that changed status or began while flapping is
 *       notified as a PROBLEM as soon as it may be.
 *   <li>A SOFT recovery leaves {@link #lastHardChangeNanos()} alone: the HARD state was OK before and after.
 * </ul>
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
    // Nagios's notified_on: a problem notification went out, so its recovery is owed.
    private boolean recoveryOwed;
    // Whether a problem notification went out since the last state change; if not, the next eligible one is due.
    private boolean notifiedSinceChange;
    private long lastNotificationNanos;

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
        boolean softRecovery = !result.problem() && previousStatus.problem() && previousType == StateType.SOFT;
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
        if (stateChange || hardChange) {
            notifiedSinceChange = false;
        }
        if (hardChange) {
            lastHardChangeNanos = nowNanos;
        }

        List<Notification> notifications = new ArrayList<>(2);
        if (!(type == StateType.SOFT && result.problem())) {
            detectFlapping(result, notifications);
        }
        if (!flapping && !softRecovery) {
            notifyIfDue(nowNanos, notifications);
        }
        nextCheckNanos = nowNanos + (type == StateType.SOFT ? rules.retryInterval() : rules.checkInterval()).toNanos();
        return new Verdict(previousStatus, previousType, status, type, attempt, stateChange, hardChange, notifications);
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

    private void detectFlapping(Status result, List<Notification> notifications) {
        percentStateChange = history.add(result);
        if (!flapping && percentStateChange >= rules.highFlapThreshold()) {
            flapping = true;
            notifications.add(Notification.FLAPPING_START);
        } else if (flapping && percentStateChange <= rules.lowFlapThreshold()) {
            flapping = false;
            notifications.add(Notification.FLAPPING_STOP);
        }
    }

    private void notifyIfDue(long nowNanos, List<Notification> notifications) {
        if (!status.problem()) {
            if (recoveryOwed) {
                recoveryOwed = false;
                notifications.add(Notification.RECOVERY);
            }
            return;
        }
        if (type == StateType.SOFT) {
            return;
        }
        long intervalNanos = rules.notificationInterval().toNanos();
        if (!notifiedSinceChange) {
            notifications.add(Notification.PROBLEM);
        } else if (intervalNanos > 0 && nowNanos - lastNotificationNanos >= intervalNanos) {
            notifications.add(Notification.RENOTIFY);
        } else {
            return;
        }
        notifiedSinceChange = true;
        lastNotificationNanos = nowNanos;
        recoveryOwed = true;
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

    /** Whether the check is flapping, so problem and recovery notifications are held back. */
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

package io.bulwark.monitor;

import java.util.List;

/**
 * What one check result led to: the state before and after it, whether that was a state change and a HARD state
 * change, and the notifications to send, in order.
 *
 * <p>Mostly none or one notification; two when flapping stops on an OK result while the recovery of a problem
 * that was notified before the flapping is still owed ({@code [FLAPPING_STOP, RECOVERY]}, as Nagios sends them).
 *
 * @param attempt the check attempt after this result: 1 while OK, 1..max while SOFT, max while HARD non-OK
 * @param stateChange the status differs from the previous result's (OK to CRITICAL, WARNING to CRITICAL, ...)
 * @param hardStateChange the HARD state changed: a problem confirmed, a HARD problem changing status, or a HARD
 *     recovery; a SOFT recovery is a state change but not a HARD one
 */
public record Verdict(
        Status previousStatus, StateType previousType, Status status, StateType type, int attempt,
        boolean stateChange, boolean hardStateChange, List<Notification> notifications) {

    public Verdict {
        notifications = List.copyOf(notifications);
    }
}

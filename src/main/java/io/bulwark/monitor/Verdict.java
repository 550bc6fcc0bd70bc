package io.bulwark.monitor;

/**
 * What one check result led to: the state before and after it, whether that was a state change and a HARD state
 * change, and whether flapping started or stopped with it.
 *
 * @param attempt the check attempt after this result: 1 while OK, 1..max while SOFT, max while HARD non-OK
 * @param stateChange the status differs from the previous result's (OK to CRITICAL, WARNING to CRITICAL, ...)
 * @param hardStateChange the HARD state changed: a problem confirmed, a HARD problem changing status, or a HARD
 *     recovery; a SOFT recovery is a state change but not a HARD one
 */
public record Verdict(
        Status previousStatus, StateType previousType, Status status, StateType type, int attempt,
        boolean stateChange, boolean hardStateChange, boolean flappingStarted, boolean flappingStopped) {}

package io.bulwark.monitor;

import io.bulwark.core.Event;
import io.bulwark.core.Severity;

/**
 * A monitor check's state changed: a SOFT problem being confirmed, a HARD (confirmed) problem, a change of
 * problem, or a recovery. Only HARD changes are worth waking anyone for; SOFT ones are kept in the journal.
 *
 * @param check the check's name
 * @param attempt the attempt the result was, of {@code maxAttempts}
 * @param output the first line of what the check printed, e.g. {@code LOAD CRITICAL - total load average: 13.1, ...}
 */
public record CheckStateChanged(String check, Status fromStatus, StateType fromType, Status toStatus, StateType toType,
        int attempt, int maxAttempts, String output, long timestampMillis) implements Event {

    /** {@code monitor/cpu_load}. */
    @Override
    public String source() {
        return "monitor/" + check;
    }

    @Override
    public String previous() {
        return fromStatus.name();
    }

    @Override
    public String current() {
        return toStatus.name();
    }

    /** Whether the new state is confirmed. */
    public boolean hard() {
        return toType == StateType.HARD;
    }

    /**
     * A SOFT state, or the SOFT recovery that ends one, is information; a HARD problem is what its status says
     * (an UNKNOWN, a check that could not tell, is a warning); a HARD recovery is a recovery.
     */
    @Override
    public Severity severity() {
        if (!hard() || fromType == StateType.SOFT && !toStatus.problem()) {
            return Severity.INFO;
        }
        return switch (toStatus) {
            case OK -> Severity.OK;
            case WARNING, UNKNOWN -> Severity.WARNING;
            case CRITICAL -> Severity.CRITICAL;
        };
    }

    /** {@code HARD 3/3: LOAD CRITICAL - total load average: 13.10, 9.02, 5.51}. */
    @Override
    public String reason() {
        return toType + " " + attempt + "/" + maxAttempts + ": " + output;
    }

    /**
     * The log line: {@code (monitor/cpu_load) OK -> CRITICAL (SOFT 1/3): LOAD CRITICAL - ...}, and once confirmed
     * {@code (monitor/cpu_load) CRITICAL (SOFT) -> CRITICAL (HARD 3/3): LOAD CRITICAL - ...}.
     */
    @Override
    public String describe() {
        String from = fromType == StateType.SOFT && fromStatus.problem() ? fromStatus + " (SOFT)" : fromStatus.name();
        return "(" + source() + ") " + from + " -> " + toStatus + " (" + toType + " " + attempt + "/" + maxAttempts
                + "): " + output;
    }
}

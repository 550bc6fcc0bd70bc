package io.bulwark.failover;

import io.bulwark.core.Event;
import io.bulwark.core.Severity;

/**
 * A VRRP instance's effective priority moved because a tracker failed or recovered: the step before a
 * failover, which an operator wants to see in the journal even when no state change follows.
 *
 * @param tracker what the tracker watches, e.g. {@code listener:web} or {@code upstream:app}
 */
public record VrrpPriorityChanged(String instance, int before, int after, String tracker, boolean failing,
        int weight, long timestampMillis) implements Event {
    /** {@code vrrp/VI_1}. */
    @Override
    public String source() {
        return "vrrp/" + instance;
    }

    @Override
    public String previous() {
        return Integer.toString(before);
    }

    @Override
    public String current() {
        return Integer.toString(after);
    }

    /** {@code priority upstream:app}: each tracker apart, so one recovering does not end another's problem. */
    @Override
    public String aspect() {
        return "priority " + tracker;
    }

    /** A failing tracker is a warning, its recovery a recovery. */
    @Override
    public Severity severity() {
        return failing ? Severity.WARNING : Severity.OK;
    }

    @Override
    public String reason() {
        return "tracker " + tracker + " " + (failing ? "failing" : "recovered") + " (weight " + weight + ")";
    }

    /** {@code (VI_1) effective priority 100 -> 90: tracker listener:web failing (weight -10)}, the log line. */
    @Override
    public String describe() {
        return "(" + instance + ") effective priority " + before + " -> " + after + ": " + reason();
    }
}

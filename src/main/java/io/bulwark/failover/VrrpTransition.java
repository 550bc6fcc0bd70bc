package io.bulwark.failover;

import io.bulwark.core.Event;

/**
 * Published on the event bus at every state change of a VRRP instance.
 *
 * @param effectivePriority the instance's priority after tracker weights, at the moment of the change
 */
public record VrrpTransition(
        String instance, VrrpState from, VrrpState to, String reason, int effectivePriority, long timestampMillis)
        implements Event {
    @Override
    public String describe() {
        return "(" + instance + ") " + from + " -> " + to + ": " + reason;
    }
}

package io.bulwark.failover;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one instance counted: drops by reason, transitions by target state, adverts in and out. Written on
 * the state machine's thread, readable from any (metrics exposition binds to these later).
 */
public final class VrrpCounters {
    private final Map<DropReason, LongAdder> drops = new EnumMap<>(DropReason.class);
    private final Map<VrrpState, LongAdder> transitions = new EnumMap<>(VrrpState.class);
    private final LongAdder advertsSent = new LongAdder();
    private final LongAdder advertsReceived = new LongAdder();
    private final LongAdder priorityZeroSent = new LongAdder();
    private final LongAdder priorityZeroReceived = new LongAdder();

    VrrpCounters() {
        for (DropReason r : DropReason.values()) {
            drops.put(r, new LongAdder());
        }
        for (VrrpState s : VrrpState.values()) {
            transitions.put(s, new LongAdder());
        }
    }

    void dropped(DropReason reason) {
        drops.get(reason).increment();
    }

    void transitionedTo(VrrpState state) {
        transitions.get(state).increment();
    }

    void sent(int priority) {
        advertsSent.increment();
        if (priority == 0) {
            priorityZeroSent.increment();
        }
    }

    void received(int priority) {
        advertsReceived.increment();
        if (priority == 0) {
            priorityZeroReceived.increment();
        }
    }

    /** Datagrams dropped (or for {@link DropReason#ADDRESS_MISMATCH} in v3, flagged) for {@code reason}. */
    public long drops(DropReason reason) {
        return drops.get(reason).sum();
    }

    /** Transitions into {@code state}. */
    public long transitionsTo(VrrpState state) {
        return transitions.get(state).sum();
    }

    public long advertsSent() {
        return advertsSent.sum();
    }

    /** Adverts accepted by the decoder. */
    public long advertsReceived() {
        return advertsReceived.sum();
    }

    public long priorityZeroSent() {
        return priorityZeroSent.sum();
    }

    public long priorityZeroReceived() {
        return priorityZeroReceived.sum();
    }

    /** One line for logs: {@code adverts sent 12 (3 priority 0), received 40, dropped 9 (TOO_SHORT=4, ...)}. */
    public String describe() {
        StringBuilder b = new StringBuilder("adverts sent ").append(advertsSent()).append(" (")
                .append(priorityZeroSent()).append(" priority 0), received ").append(advertsReceived());
        long total = 0;
        StringBuilder reasons = new StringBuilder();
        for (DropReason r : DropReason.values()) {
            long n = drops(r);
            if (n > 0) {
                total += n;
                reasons.append(reasons.isEmpty() ? "" : ", ").append(r).append('=').append(n);
            }
        }
        b.append(", dropped ").append(total);
        if (total > 0) {
            b.append(" (").append(reasons).append(')');
        }
        return b.toString();
    }
}

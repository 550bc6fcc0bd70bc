package io.bulwark.proxy;

import java.util.concurrent.atomic.LongAdder;

/** Retry counters of one upstream, written by every event loop; read by metrics and tests. */
public final class RetryStats {
    private final LongAdder retries = new LongAdder();
    private final LongAdder staleRetries = new LongAdder();
    private final LongAdder[] refused = new LongAdder[Refusal.values().length];

    RetryStats() {
        for (int i = 0; i < refused.length; i++) {
            refused[i] = new LongAdder();
        }
    }

    /** Retries made on another server (or the same one after back-off), each counted against the budget. */
    public long retries() {
        return retries.sum();
    }

    /**
     * Requests sent again on a fresh connection because the pooled one they were sent on turned out closed by
     * the server before any response byte; these bypass the retry block and its budget.
     */
    public long staleRetries() {
        return staleRetries.sum();
    }

    /** Retries refused for {@code reason}. */
    public long refused(Refusal reason) {
        return refused[reason.ordinal()].sum();
    }

    void retried() {
        retries.increment();
    }

    void staleRetried() {
        staleRetries.increment();
    }

    void refuse(Refusal reason) {
        refused[reason.ordinal()].increment();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("retries=").append(retries()).append(" stale=").append(staleRetries());
        for (Refusal r : Refusal.values()) {
            long n = refused(r);
            if (n > 0) {
                b.append(' ').append(r.tag()).append('=').append(n);
            }
        }
        return b.toString();
    }
}

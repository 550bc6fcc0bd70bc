package io.bulwark.proxy;

import io.bulwark.config.RetryConfig;
import io.bulwark.config.RetryOn;
import io.bulwark.config.UpstreamConfig;

/**
 * A retry block resolved for the request path: conditions as a bit set, times in nanoseconds. {@code id}
 * indexes the per-loop budgets, so each block (an upstream's, or a route's own) has its budget.
 */
final class RetryPolicy {
    final int id;
    final int upstreamIndex;
    final int attempts;
    final long perTryNanos;
    final long deadlineNanos;
    final long backoffNanos;
    final int budgetPercent;
    final int budgetMinPerSecond;
    final int bufferBytes;
    private final int conditions;

    RetryPolicy(int id, int upstreamIndex, RetryConfig config, UpstreamConfig upstream) {
        this.id = id;
        this.upstreamIndex = upstreamIndex;
        this.attempts = config.attempts();
        this.perTryNanos = config.perTryTimeout().orElse(upstream.readTimeout()).toNanos();
        this.deadlineNanos = config.timeout().toNanos();
        this.backoffNanos = config.backoff().toNanos();
        this.budgetPercent = config.budgetPercent();
        this.budgetMinPerSecond = config.budgetMinPerSecond();
        this.bufferBytes = config.retryBufferBytes();
        int bits = 0;
        for (RetryOn on : config.retryOn()) {
            bits |= 1 << on.ordinal();
        }
        this.conditions = bits;
    }

    /** Whether this block retries on {@code on} at all (more than one attempt and the condition named). */
    boolean retriesOn(RetryOn on) {
        return on != null && attempts > 1 && (conditions & 1 << on.ordinal()) != 0;
    }
}

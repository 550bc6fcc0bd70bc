package io.bulwark.proxy;

import io.bulwark.config.RetryOn;
import io.bulwark.lb.LoadBalancer;
import io.bulwark.upstream.Server;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides, for one request at a time of one client connection, whether a failed attempt is tried again and
 * where. A retry needs: the failure named by the retry block, no response byte sent to the client, the
 * request never having reached the server or an idempotent method, the body held whole, an attempt left,
 * the deadline not passed, budget left, and a server not yet tried. Each refusal is counted by reason.
 */
final class RetryGate {
    private static final String IDEMPOTENCY_KEY = "idempotency-key";
    private static final long MAX_BACKOFF_NANOS = 1_000_000_000L;

    private final TriedServers tried = new TriedServers();
    private RetryPolicy policy;
    private RetryBudget budget;
    private RetryStats stats;
    private boolean idempotent;
    private int attempts;
    private long deadlineAtNanos;

    /** Starts a request; counts it for the budget. */
    void begin(RetryPolicy policy, RetryBudget budget, RetryStats stats, boolean idempotent, long nowNanos) {
        this.policy = policy;
        this.budget = budget;
        this.stats = stats;
        this.idempotent = idempotent;
        this.attempts = 0;
        this.deadlineAtNanos = policy.deadlineNanos > 0 ? nowNanos + policy.deadlineNanos : 0;
        tried.clear();
        budget.request(nowNanos);
    }

    /** RFC 9110 §9.2.2's idempotent methods, or any request carrying an {@code Idempotency-Key}. */
    static boolean idempotent(HttpRequest req) {
        HttpMethod m = req.method();
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)
                || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE) || m.equals(HttpMethod.TRACE)
                || req.headers().contains(IDEMPOTENCY_KEY);
    }

    RetryPolicy policy() {
        return policy;
    }

    RetryStats stats() {
        return stats;
    }

    /** The first server for the request. */
    Server first(LoadBalancer balancer, long affinityKey) {
        return balancer.pick(affinityKey, tried);
    }

    /** An attempt is being made on {@code server}. */
    void attempt(Server server) {
        attempts++;
        tried.add(server);
    }

    /** Nanoseconds until the overall deadline, or {@code Long.MAX_VALUE} without one. */
    long untilDeadline(long nowNanos) {
        return deadlineAtNanos == 0 ? Long.MAX_VALUE : deadlineAtNanos - nowNanos;
    }

    /**
     * The server to try next after a failure, or {@code null} when the request is not retried (counted by
     * reason when the retry block names the failure).
     *
     * @param on the failure as a retry condition, {@code null} when no condition covers it
     * @param neverSent whether the request certainly did not reach the server
     * @param responseStarted whether any response byte reached the client
     */
    Server next(RetryOn on, boolean neverSent, boolean responseStarted, ReplayBody body,
            LoadBalancer balancer, long affinityKey, long nowNanos) {
        if (policy == null || !policy.retriesOn(on)) {
            return null;
        }
        Refusal refusal = responseStarted ? Refusal.RESPONSE_STARTED
                : !neverSent && !idempotent ? Refusal.NON_IDEMPOTENT
                : !body.replayable() ? Refusal.BODY_TOO_LARGE
                : attempts >= policy.attempts ? Refusal.ATTEMPTS_EXHAUSTED
                : untilDeadline(nowNanos) <= 0 ? Refusal.DEADLINE
                : !budget.allows(nowNanos) ? Refusal.BUDGET_EXHAUSTED
                : null;
        Server next = null;
        if (refusal == null) {
            next = balancer.pick(affinityKey, tried);
            if (next == null) {
                refusal = Refusal.NO_SERVER_LEFT;
            }
        }
        if (refusal != null) {
            stats.refuse(refusal);
            return null;
        }
        budget.spend(nowNanos);
        stats.retried();
        return next;
    }

    /** Full-jitter exponential back-off before the retry that follows attempt number {@code attempts}. */
    long backoffNanos() {
        long base = policy.backoffNanos;
        if (base <= 0) {
            return 0;
        }
        long ceiling = Math.min(MAX_BACKOFF_NANOS, base << Math.min(20, attempts - 1));
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    /** Forgets the request. */
    void end() {
        policy = null;
        budget = null;
        stats = null;
    }
}

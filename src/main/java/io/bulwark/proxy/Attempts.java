package io.bulwark.proxy;

import io.bulwark.config.RetryOn;
import io.bulwark.lb.LoadBalancer;
import io.bulwark.upstream.OutcomeListener;
import io.bulwark.upstream.Server;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The upstream stage of one client connection's current request: which server each attempt goes to, the
 * connect, the outcome reported for every attempt, and after a failure the choice between a retry (through
 * the {@link RetryGate}, after the back-off) and giving up. The {@link DownstreamHandler} owns the client
 * side and the upstream connection once connected; this class tells it when to send and when to fail.
 * Runs on the connection's event loop only.
 */
final class Attempts {
    private final DownstreamHandler owner;
    private final LoopState loop;
    private final EventLoop executor;
    private final Retries retries;
    private final RetryBudget[] budgets;
    private final RetryGate gate = new RetryGate();
    private final ReplayBody body = new ReplayBody();
    private final ChannelFutureListener connected = this::connected;
    private final Runnable deadline = this::deadline;
    private final Runnable backoffOver = this::backoffOver;

    // The request in flight; reset by end().
    private int upstreamIndex;
    private long affinityKey;
    private OutcomeListener outcomes = OutcomeListener.NONE;
    private Server server;
    private Server answeredBy;
    private ChannelFuture connecting;
    private ScheduledFuture<?> deadlineTimer;
    private ScheduledFuture<?> backoffTimer;
    private Server retryServer;
    private Failure lastFailure;
    private boolean reused;
    private boolean staleRetried;
    private boolean outcomeReported;
    private long startNanos;

    Attempts(DownstreamHandler owner, LoopState loop, Retries retries) {
        this.owner = owner;
        this.loop = loop;
        this.executor = loop.loop();
        this.retries = retries;
        this.budgets = retries.budgets(executor);
    }

    /**
     * Starts a routed request: counts it for the budget, arms the deadline and picks the first server
     * (returned; {@code null} when none is eligible, and nothing else is started).
     *
     * @param idempotent whether the request may be sent again after it reached a server (see RetryGate)
     * @param length the declared body length, {@code -1} for chunked
     * @param bodyHere how much of the body came with the head (see {@link ReplayBody#begin})
     */
    Server begin(Router.Target target, boolean idempotent, long affinityKey, long length, int bodyHere,
            long nowNanos) {
        upstreamIndex = target.upstreamIndex();
        this.affinityKey = affinityKey;
        RetryPolicy policy = retries.policy(target);
        gate.begin(policy, budgets[policy.id], retries.stats(upstreamIndex), idempotent, nowNanos);
        Server first = gate.first(balancer(), affinityKey);
        if (first == null) {
            return null;
        }
        outcomes = retries.outcomes(upstreamIndex);
        body.begin(policy.bufferBytes, length, bodyHere);
        if (policy.deadlineNanos > 0) {
            deadlineTimer = executor.schedule(deadline, policy.deadlineNanos, TimeUnit.NANOSECONDS);
        }
        return first;
    }

    private LoadBalancer balancer() {
        return loop.balancer(upstreamIndex);
    }

    ReplayBody body() {
        return body;
    }

    Server server() {
        return server;
    }

    /** The server that answered (or last failed) the request, for the access log. */
    Server answeredBy() {
        return answeredBy;
    }

    /** The read timeout of the current attempt. */
    long perTryNanos() {
        return gate.policy().perTryNanos;
    }

    /** Nanoseconds since the current attempt started. */
    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /**
     * Sends the request to {@code s}: over a pooled connection when one is idle, unless this is the resend
     * after a stale pooled connection, which goes on a fresh one and is not counted as an attempt.
     */
    void attempt(Server s, boolean stale) {
        server = s;
        s.requestStarted();
        if (!stale) {
            gate.attempt(s);
        }
        outcomeReported = false;
        startNanos = System.nanoTime();
        UpstreamConnection pooled = stale ? null : loop.pool().poll(upstreamIndex, s);
        reused = pooled != null;
        if (pooled != null) {
            owner.forward(pooled);
        } else {
            owner.awaitConnection();
            connecting = loop.connect(upstreamIndex, s);
            connecting.addListener(connected);
        }
    }

    private void connected(ChannelFuture f) {
        if (f != connecting || !owner.awaitingConnection()) {
            // The client left, or the request gave up on this attempt, while we were connecting.
            f.channel().close();
            return;
        }
        connecting = null;
        if (!f.isSuccess()) {
            owner.upstreamFailed(f.cause() instanceof ConnectTimeoutException
                    ? Failure.CONNECT_TIMEOUT : Failure.CONNECT_REFUSED);
            return;
        }
        owner.forward(LoopState.connection(f.channel()));
    }

    /**
     * A final response head arrived at {@code nowNanos}: reports it, and returns the server to retry on when its status is one
     * the retry block names and the gate allows one (the caller then drops the response with its connection
     * and calls {@link #retryAfterStatus}); {@code null} when the response goes to the client.
     */
    Server responded(int status, boolean interimSent, long nowNanos) {
        if (outcomeReported) {
            return null;
        }
        outcomeReported = true;
        outcomes.onResponse(server, status, nowNanos - startNanos);
        RetryOn on = RetryOn.ofStatus(status);
        if (on == null || !gate.policy().retriesOn(on)) {
            return null;
        }
        return gate.next(on, false, interimSent, body, balancer(), affinityKey, System.nanoTime());
    }

    /** Retries on {@code next} after a response {@link #responded} chose to discard. */
    void retryAfterStatus(Server next) {
        abandon();
        retry(next, Failure.BAD_RESPONSE);
    }

    /** The response reaches the client from here on: nothing is retried any more. */
    void committed() {
        body.release();
        cancel(deadlineTimer);
    }

    /** The connection switched protocols: a success for the server. */
    void switched() {
        outcomes.onSuccess(server, elapsedNanos());
        committed();
    }

    /**
     * The current attempt failed as {@code f}: reports it and retries when it may. Returns false when the
     * request is not retried, for the caller to end it. The caller already dropped the connection.
     *
     * @param answered whether anything of a response came over the attempt's connection
     * @param started whether anything of a response reached the client
     */
    boolean failed(Failure f, boolean answered, boolean started) {
        Server failedOn = server;
        abandon();
        if (f == Failure.UPSTREAM_RESET && reused && !answered && !started && !staleRetried && body.replayable()) {
            // A pooled connection the server had closed as we reused it: nothing was processed, so this is
            // no failure of the server's, and the request goes again on a fresh connection, even a POST.
            staleRetried = true;
            gate.stats().staleRetried();
            lastFailure = f;
            attempt(failedOn, true);
            return true;
        }
        if (f.outcome() != null && !outcomeReported && failedOn != null) {
            outcomeReported = true;
            outcomes.onFailure(failedOn, f.outcome());
        }
        Server next = gate.next(f.retryOn(), f.neverSent(), started, body, balancer(), affinityKey,
                System.nanoTime());
        if (next == null) {
            return false;
        }
        retry(next, f);
        return true;
    }

    /**
     * A body chunk read while the next attempt connects or backs off: held, and sent with the replay. A
     * {@code bad} one (the client's framing broke) ends the request.
     */
    void heldDuringRetry(ByteBufHolder c, boolean last, boolean bad) {
        if (!bad) {
            body.add(c, last);
        }
        ReferenceCountUtil.release(c);
        if (bad || !body.replayable()) {
            // The retry cannot send the whole body after all: give up with the failure it answered.
            abandon();
            owner.dropUpstream();
            owner.respond(bad || lastFailure == null ? Failure.BAD_REQUEST : lastFailure);
        }
    }

    /** Ends the current attempt's server side: in-flight count, connect in progress, pending back-off. */
    void abandon() {
        serverDone();
        if (connecting != null) {
            connecting.channel().close();
            connecting = null;
        }
        cancel(backoffTimer);
        retryServer = null;
    }

    /** Tries {@code next} now, or after the back-off; {@code failure} answers the client if that cannot be. */
    private void retry(Server next, Failure failure) {
        lastFailure = failure;
        long delay = gate.backoffNanos();
        if (delay <= 0) {
            attempt(next, false);
            return;
        }
        owner.awaitConnection();
        retryServer = next;
        backoffTimer = executor.schedule(backoffOver, delay, TimeUnit.NANOSECONDS);
    }

    private void backoffOver() {
        Server next = retryServer;
        if (next != null && connecting == null && owner.awaitingConnection()) {
            retryServer = null;
            attempt(next, false);
        }
    }

    /** The retry block's overall timeout passed before the client saw anything of a response. */
    private void deadline() {
        if (owner.awaitingResponse()) {
            abandon();
            owner.dropUpstream();
            owner.respond(Failure.DEADLINE_EXCEEDED);
        }
    }

    /**
     * The server's part of the request is over (answered, failed, or abandoned): release it for
     * least_conn right away rather than when the client has drained the response. Idempotent.
     */
    void serverDone() {
        Server s = server;
        if (s != null) {
            server = null;
            answeredBy = s;
            s.requestFinished();
        }
    }

    /** Forgets the request; returns the server to log it against. */
    Server end() {
        abandon();
        Server s = answeredBy;
        answeredBy = null;
        cancel(deadlineTimer);
        body.reset();
        gate.end();
        outcomes = OutcomeListener.NONE;
        lastFailure = null;
        reused = staleRetried = outcomeReported = false;
        return s;
    }

    static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}

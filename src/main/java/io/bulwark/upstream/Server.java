package io.bulwark.upstream;

import io.bulwark.config.HostPort;
import io.bulwark.config.ServerConfig;
import io.bulwark.core.Clock;
import io.bulwark.core.EventBus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One backend server as the data plane sees it: where it is, its weight, whether it may take traffic now,
 * and how many requests it has in flight. Shared by every event loop.
 *
 * <p>Its state has three independent dimensions, as in HAProxy: operational {@link Health} (active checks),
 * {@link AdminState} (the operator) and {@link Ejection} (passive detection, until a deadline). Writers take
 * this server's lock; each change recomputes one volatile {@code eligible} flag, so the request path reads a
 * single volatile field. Every change is one log line, one {@link ServerStateChanged} event and one counter.
 */
public final class Server {
    private static final long NEVER = Long.MIN_VALUE;
    /** Bumped whenever any server starts a slow-start ramp, so balancers notice without scanning per pick. */
    private static final AtomicLong RAMPS_STARTED = new AtomicLong();
    /** Bumped whenever any server gains or loses eligibility, so a panic check need not count per pick. */
    private static final AtomicLong ELIGIBILITY_CHANGES = new AtomicLong();

    private final String upstream;
    private final int index;
    private final HostPort address;
    private final InetSocketAddress socketAddress;
    private final int weight;
    private final boolean backup;
    private final ServerConfig config;
    private final long slowStartNanos;
    private final Clock clock;
    private final EventBus events;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder[] transitions = new LongAdder[Transition.values().length];

    // Written under the lock; read without it only through the volatile fields below.
    private Health health = Health.UP;
    private AdminState admin = AdminState.READY;
    private Ejection ejection = Ejection.SERVING;

    private volatile boolean eligible = true;
    private volatile boolean adminReady = true;
    /** Deadline of the current ejection in {@link Clock#nanoTime()}, or {@link #NEVER} while serving. */
    private volatile long ejectedUntilNanos = NEVER;
    /** When the server last became eligible again, for slow start; {@link #NEVER} at startup. */
    private volatile long returnedAtNanos = NEVER;
    private volatile long warmUntilNanos = NEVER;
    private volatile Cause lastCause = Cause.of(CauseKind.MANUAL, "initial state");
    /** Bumped on every health transition, so a check loop can tell that someone else moved it meanwhile. */
    private volatile long healthVersion;

    /** A server on the system clock whose events go nowhere; for balancer tests and tools. */
    public Server(String upstream, int index, ServerConfig config) {
        this(upstream, index, config, Duration.ZERO, Clock.system(), new EventBus());
    }

    /**
     * @param slowStart ramp from 10 % to full weight after becoming eligible again; zero is off
     * @param events where every state change is published
     */
    public Server(String upstream, int index, ServerConfig config, Duration slowStart, Clock clock, EventBus events) {
        this.upstream = upstream;
        this.index = index;
        this.config = config;
        this.address = config.address();
        // Resolved once: a DNS lookup on the request path would block an event loop.
        this.socketAddress = new InetSocketAddress(address.host(), address.port());
        this.weight = config.weight();
        this.backup = config.backup();
        this.slowStartNanos = slowStart.toNanos();
        this.clock = clock;
        this.events = events;
        if (config.down()) {
            // As nginx's "down": no traffic until an operator says ready; no transition, so no log line.
            admin = AdminState.MAINT;
            adminReady = false;
            eligible = false;
            lastCause = Cause.of(CauseKind.MANUAL, "down in the config");
        }
        for (int i = 0; i < transitions.length; i++) {
            transitions[i] = new LongAdder();
        }
    }

    /** Name of the upstream this server belongs to. */
    public String upstream() {
        return upstream;
    }

    /** Position within its upstream's server list, stable for the life of this object. */
    public int index() {
        return index;
    }

    public HostPort address() {
        return address;
    }

    public InetSocketAddress socketAddress() {
        return socketAddress;
    }

    public ServerConfig config() {
        return config;
    }

    /** Configured weight; see {@link #effectiveWeight(long)} for the weight during slow start. */
    public int weight() {
        return weight;
    }

    public boolean backup() {
        return backup;
    }

    /**
     * Whether the balancer may choose this server now: up, admin-ready and not ejected. One volatile read
     * while eligible; an ineligible server also compares its ejection deadline with the clock, so an
     * ejection ends on time even without a timer.
     */
    public boolean eligible() {
        if (eligible) {
            return true;
        }
        long until = ejectedUntilNanos;
        if (until != NEVER && clock.nanoTime() - until >= 0) {
            expireEjection();
            return eligible;
        }
        return false;
    }

    /** Legacy switch, kept for callers that only know up and down: forces health to UP or DOWN. */
    public void healthy(boolean healthy) {
        health(healthy ? Health.UP : Health.DOWN, Cause.of(CauseKind.MANUAL), "healthy(" + healthy + ")");
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Called when a request is assigned to this server. */
    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    /** Called exactly once for each {@link #requestStarted()}, however the request ended. */
    public void requestFinished() {
        inFlight.decrementAndGet();
    }

    public synchronized Health health() {
        return health;
    }

    public synchronized AdminState admin() {
        return admin;
    }

    /** Whether passively ejected right now; ends an ejection whose deadline has passed. */
    public boolean ejected() {
        eligible();
        synchronized (this) {
            return ejection == Ejection.EJECTED;
        }
    }

    /** The deadline of the current ejection in {@link Clock#nanoTime()} terms; {@code Long.MIN_VALUE} when not ejected. */
    public long ejectedUntilNanos() {
        return ejectedUntilNanos;
    }

    /** The most recent check result or state change cause, for the dashboard. */
    public Cause lastCause() {
        return lastCause;
    }

    /** Records a check result that changed no state, so the dashboard can show the latest cause. */
    public void lastCause(Cause cause) {
        this.lastCause = cause;
    }

    /**
     * Moves operational health to {@code to}; nothing happens if it is already there.
     *
     * @param detail appended to the cause in the log line, e.g. {@code (3/3)}; may be empty
     * @return whether the state changed
     * @throws IllegalStateException if the transition is not legal, e.g. UP -> HELD
     */
    public synchronized boolean health(Health to, Cause cause, String detail) {
        lastCause = cause;
        if (health == to) {
            return false;
        }
        Transition t = Transition.between(health, to);
        health = to;
        healthVersion++;
        changed(t, cause, detail);
        return true;
    }

    /** Changes on every health transition (by checks or anyone else); compare for equality only. */
    public long healthVersion() {
        return healthVersion;
    }

    /**
     * Releases a server held by {@code recovery: manual}; {@code by} says in the log who did (e.g. {@code by
     * admin API from ...}). Returns whether it was held.
     */
    public synchronized boolean enable(String by) {
        if (health != Health.HELD) {
            return false;
        }
        return health(Health.UP, Cause.of(CauseKind.MANUAL), "enabled " + by);
    }

    /** Sets the admin state (operator owned). Returns whether it changed. */
    public synchronized boolean admin(AdminState to, String reason) {
        if (admin == to) {
            return false;
        }
        Transition t = Transition.between(admin, to);
        admin = to;
        changed(t, Cause.of(CauseKind.MANUAL), reason);
        return true;
    }

    /**
     * Ejects until {@code untilNanos} ({@link Clock#nanoTime()} terms). An ejection in force is only ever
     * extended, never shortened, and is not logged again.
     *
     * @return whether the server was serving before
     */
    public synchronized boolean eject(long untilNanos, Cause cause, String detail) {
        lastCause = cause;
        if (ejection == Ejection.EJECTED) {
            if (untilNanos - ejectedUntilNanos > 0) {
                ejectedUntilNanos = untilNanos;
            }
            return false;
        }
        ejectedUntilNanos = untilNanos;
        ejection = Ejection.EJECTED;
        changed(Transition.SERVING_TO_EJECTED, cause, detail);
        return true;
    }

    /** Ends an ejection early (operator) or on time. Returns whether the server was ejected. */
    public synchronized boolean endEjection(Cause cause, String detail) {
        if (ejection != Ejection.EJECTED) {
            return false;
        }
        ejection = Ejection.SERVING;
        ejectedUntilNanos = NEVER;
        changed(Transition.EJECTED_TO_SERVING, cause, detail);
        return true;
    }

    private synchronized void expireEjection() {
        // Re-checked under the lock: several event loops may notice the same deadline at once.
        if (ejection == Ejection.EJECTED && clock.nanoTime() - ejectedUntilNanos >= 0) {
            endEjection(Cause.of(CauseKind.EJECTION_EXPIRED), "");
        }
    }

    /**
     * The weight a balancer should use now: during slow start it ramps linearly from 10 % (at least 1) to
     * the configured weight over {@code slow_start} after the server became eligible again.
     */
    public int effectiveWeight(long nowNanos) {
        return (int) Math.max(1, (long) weight * rampPermille(nowNanos) / 1000);
    }

    /**
     * The share of its weight the server should get now, in thousandths: 100 when it has just returned,
     * rising linearly to 1000 over {@code slow_start}; 1000 outside slow start. Balancers multiply weights
     * by it, so a server of weight 1 ramps as smoothly as one of weight 1000.
     */
    public int rampPermille(long nowNanos) {
        long since = returnedAtNanos;
        if (slowStartNanos == 0 || since == NEVER) {
            return 1000;
        }
        long elapsed = Math.max(0, nowNanos - since);
        if (elapsed >= slowStartNanos) {
            return 1000;
        }
        return (int) (100 + 900 * elapsed / slowStartNanos);
    }

    /** Whether this server has a slow-start ramp configured at all. */
    public boolean slowStarts() {
        return slowStartNanos > 0;
    }

    /** When the current slow-start ramp ends, or {@link Long#MIN_VALUE} when there has been none. */
    public long warmUntilNanos() {
        return warmUntilNanos;
    }

    /** The time source this server's states use, so balancers ramp on the same clock. */
    public long nanoTime() {
        return clock.nanoTime();
    }

    /** Whether the operator lets this server take traffic (READY), whatever its health: what panic mode reads. */
    public boolean adminReady() {
        return adminReady;
    }

    /** How many times any server in this process gained or lost eligibility: a cheap "recount" signal. */
    public static long eligibilityChanges() {
        return ELIGIBILITY_CHANGES.get();
    }

    /** How many slow-start ramps have begun in this process, on any server: a cheap "something changed" signal. */
    public static long rampsStarted() {
        return RAMPS_STARTED.get();
    }

    /** How many times this server went through {@code t}. */
    public long transitions(Transition t) {
        return transitions[t.ordinal()].sum();
    }

    /** Called under the lock: count, recompute eligibility and publish, once per transition. */
    private void changed(Transition t, Cause cause, String detail) {
        transitions[t.ordinal()].increment();
        boolean was = eligible;
        boolean now = health == Health.UP && admin == AdminState.READY && ejection == Ejection.SERVING;
        if (now && !was) {
            returnedAtNanos = clock.nanoTime();
            if (slowStartNanos > 0) {
                // Written before the bump: a balancer that sees the new count also sees the deadline.
                warmUntilNanos = returnedAtNanos + slowStartNanos;
                RAMPS_STARTED.incrementAndGet();
            }
        }
        eligible = now;
        adminReady = admin == AdminState.READY;
        if (now != was) {
            ELIGIBILITY_CHANGES.incrementAndGet();
        }
        String reason = detail.isEmpty() ? cause.describe() : cause.describe() + " " + detail;
        // The log line is the event's too: the app subscribes the log to the bus (core.EventLog).
        events.publish(new ServerStateChanged(upstream, address.toString(), t, cause, reason,
                clock.currentTimeMillis()));
    }

    @Override
    public String toString() {
        return "(" + upstream + "/" + address + ")";
    }
}

package io.bulwark.failover;

import io.bulwark.config.VrrpInstanceConfig;
import io.bulwark.core.Clock;
import io.bulwark.core.EventBus;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VRRP virtual router on this node: the state machine of RFC 5798 §6.4 (v3) / RFC 3768 §6.4 (v2), with
 * keepalived's FAULT state and tracker weights. Every input runs on the {@link VrrpScheduler}, one at a
 * time, so the fields below the marker need no locks. Each transition goes through {@link #record}: one
 * counter, one log line, one event, one notify call.
 */
public final class VrrpInstance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VrrpInstance.class);

    private final VrrpInstanceConfig config;
    private final String name;
    private final VrrpVersion version;
    private final List<VirtualAddress> vips;
    private final List<Inet4Address> vipAddresses;
    private final AdvertTransport transport;
    private final VrrpScheduler scheduler;
    private final Clock clock;
    private final AddressActuator actuator;
    private final EventBus events;
    private final NotifyHook notifyHook;
    private final Trackers trackers;
    private final VrrpDecoder.Expected expected;
    private final int advertIntervalCentis;
    private final long advertIntervalNanos;
    private final long preemptDelayNanos;
    private final VrrpCounters counters = new VrrpCounters();

    // ---- touched only on the scheduler's thread ----
    private VrrpState state = VrrpState.INITIALIZE;
    private boolean running;
    private int effectivePriority;
    /** Master_Adver_Interval: ours, or in v3 the one the current master advertises (§6.4.2). */
    private long masterAdverIntervalNanos;
    private VrrpScheduler.ScheduledTask adverTimer;
    private VrrpScheduler.ScheduledTask masterDownTimer;
    private String masterDownCause = "";
    /** When we first heard the current lower-priority master, for preempt_delay; -1 when not. */
    private long lowerMasterSinceNanos = -1;
    private final Set<DropReason> warned = EnumSet.noneOf(DropReason.class);

    // ---- snapshots for other threads ----
    private volatile VrrpState stateView = VrrpState.INITIALIZE;
    private volatile int priorityView;

    public VrrpInstance(VrrpInstanceConfig config, AdvertTransport transport, VrrpContext context) {
        this.config = config;
        this.name = config.name();
        this.version = VrrpVersion.of(config.version());
        this.vips = config.virtualAddresses().stream().map(VirtualAddress::parse).toList();
        this.vipAddresses = vips.stream().map(VirtualAddress::address).toList();
        this.transport = transport;
        this.scheduler = context.scheduler();
        this.clock = scheduler.clock();
        this.actuator = context.actuator();
        this.events = context.events();
        this.notifyHook = context.notifyHooks().apply(config.notifyCommand());
        this.trackers = new Trackers(config.tracks());
        this.advertIntervalNanos = config.advertInterval().toNanos();
        this.advertIntervalCentis = (int) (advertIntervalNanos / VrrpTiming.CENTISECOND_NANOS);
        this.preemptDelayNanos = config.preemptDelay().toNanos();
        this.expected = new VrrpDecoder.Expected(version, config.virtualRouterId(), config.authPassword(),
                vipAddresses, advertIntervalCentis, config.addressOwner());
        this.effectivePriority = trackers.effectivePriority(config.priority());
        this.priorityView = effectivePriority;
    }

    // ---------------------------------------------------------------- public API, any thread

    /** Starts receiving and runs the §6.4.1 Startup event. */
    public void start() {
        transport.start(datagram -> scheduler.execute(() -> received(datagram)));
        scheduler.execute(this::startup);
    }

    /** Runs the Shutdown event (a master sends priority 0 first) and closes the transport. */
    public void stop() {
        scheduler.execute(this::shutdown);
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * Hands the addresses to a backup now (manual fail-back): a master sends priority 0, removes the addresses
     * and becomes BACKUP, so the highest-priority backup takes over after its Skew_Time. From then on the
     * protocol decides as usual: with {@code preempt} and a higher priority than the new master, this node
     * takes the addresses back after its Master_Down_Interval. Completes with whether this node was master.
     *
     * @param by who asked, for the log line
     */
    public CompletableFuture<Boolean> release(String by) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        scheduler.execute(() -> done.complete(stepDown(by)));
        return done;
    }

    /** Tells the instance a tracked target failed or recovered; unknown targets are ignored. */
    public void trackerChanged(String target, boolean failing) {
        scheduler.execute(() -> applyTracker(target, failing));
    }

    public String name() {
        return name;
    }

    public VrrpState state() {
        return stateView;
    }

    /** The configured priority; never changes. */
    public int configuredPriority() {
        return config.priority();
    }

    /** The priority advertised now: configured plus failing trackers' weights (1..254; 255 for the owner). */
    public int effectivePriority() {
        return priorityView;
    }

    public VrrpCounters counters() {
        return counters;
    }

    /** The configuration it runs; never changes. */
    public VrrpInstanceConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- events

    private void startup() {
        if (running) {
            return;
        }
        running = true;
        String fault = trackers.faultCause();
        if (fault != null) {
            becomeFault("tracker " + fault + " failing at startup (weight 0)");
        } else {
            enterFromInitialize("startup");
        }
    }

    /** §6.4.1: the owner goes MASTER at once, everyone else waits as BACKUP. Also how FAULT is left. */
    private void enterFromInitialize(String why) {
        masterAdverIntervalNanos = advertIntervalNanos;
        if (effectivePriority == 255) {
            becomeMaster(why + ": address owner (priority 255) (RFC 5798 §6.4.1)");
        } else {
            becomeBackup(why + " with priority " + effectivePriority + " (RFC 5798 §6.4.1)");
        }
    }

    private void shutdown() {
        if (!running) {
            return;
        }
        running = false;
        String section = state == VrrpState.MASTER ? "§6.4.3" : state == VrrpState.BACKUP ? "§6.4.2" : "";
        StateTransition t = StateTransition.of(state, VrrpState.INITIALIZE);
        if (state == VrrpState.MASTER) {
            releaseMastership(true);
        }
        cancelMasterDownTimer();
        record(t, "shutdown" + (section.isEmpty() ? "" : " (RFC 5798 " + section + ")"));
        transport.close();
    }

    private boolean stepDown(String by) {
        if (!running || state != VrrpState.MASTER) {
            return false;
        }
        becomeBackup("released " + by + ": priority 0 sent (RFC 5798 §6.4.3)", true);
        return true;
    }

    private void received(byte[] datagram) {
        if (!running || state == VrrpState.FAULT) {
            return; // keepalived ignores adverts in FAULT: we could not take over anyway.
        }
        switch (VrrpDecoder.decode(datagram, datagram.length, expected)) {
            case DecodeResult.Dropped d -> drop(d.reason(), d.detail());
            case DecodeResult.Accepted a -> {
                if (a.addressMismatch()) {
                    drop(DropReason.ADDRESS_MISMATCH, "addresses " + a.packet().addresses() + " from "
                            + a.source().getHostAddress() + " differ from ours " + vipAddresses
                            + "; advert still used (RFC 5798 §7.1)");
                }
                counters.received(a.packet().priority());
                if (state == VrrpState.BACKUP) {
                    backupReceived(a.packet(), a.source());
                } else if (state == VrrpState.MASTER) {
                    masterReceived(a.packet(), a.source());
                }
            }
        }
    }

    /** RFC 5798 §6.4.2, "If an ADVERTISEMENT is received". */
    private void backupReceived(VrrpPacket p, Inet4Address from) {
        String src = from.getHostAddress();
        if (p.priority() == 0) {
            // The master is leaving: take over after Skew_Time, so the highest-priority backup goes first.
            long skew = VrrpTiming.skewNanos(version, effectivePriority, masterAdverIntervalNanos);
            resetMasterDownTimer(skew, "master " + src + " sent priority 0, skew time " + VrrpTiming.millis(skew) + " elapsed");
            return;
        }
        boolean lower = p.priority() < effectivePriority;
        if (lower && config.preempt() && !deferPreemption(p, src)) {
            // Discard: our Master_Down_Timer runs out and we preempt the lower-priority master.
            masterDownCause = "preempting lower-priority master " + src + " (priority " + p.priority() + " < "
                    + effectivePriority + ")";
            return;
        }
        if (!lower) {
            lowerMasterSinceNanos = -1;
        }
        if (version == VrrpVersion.V3) {
            masterAdverIntervalNanos = p.advertIntervalCentis() * VrrpTiming.CENTISECOND_NANOS;
        }
        long down = VrrpTiming.masterDownNanos(version, effectivePriority, masterAdverIntervalNanos);
        resetMasterDownTimer(down, "master down timer expired (no advertisement for " + VrrpTiming.millis(down) + ")");
    }

    /**
     * preempt_delay: after first hearing a lower-priority master, keep treating it as the master (resetting
     * the timer) until the delay has passed; then stop, and the usual Master_Down_Interval later we take
     * over. So preemption happens between delay + Master_Down_Interval and that plus one advert interval
     * after the first lower advert. (Keepalived counts the delay from its own start-up instead.)
     */
    private boolean deferPreemption(VrrpPacket p, String src) {
        if (preemptDelayNanos == 0) {
            return false;
        }
        long now = clock.nanoTime();
        if (lowerMasterSinceNanos < 0) {
            lowerMasterSinceNanos = now;
            log.info("({}) hearing lower-priority master {} (priority {} < {}): preempting after {}", name, src,
                    p.priority(), effectivePriority, Duration.ofNanos(preemptDelayNanos));
        }
        return now - lowerMasterSinceNanos < preemptDelayNanos;
    }

    /** RFC 5798 §6.4.3, "If an ADVERTISEMENT is received". */
    private void masterReceived(VrrpPacket p, Inet4Address from) {
        if (p.priority() == 0) {
            // Another router is leaving: answer at once so backups don't start a needless election.
            sendAdvert(effectivePriority);
            scheduleAdverTimer();
            return;
        }
        boolean higher = p.priority() > effectivePriority;
        boolean tieWon = p.priority() == effectivePriority
                && Ipv4.toUnsigned(from) > Ipv4.toUnsigned(transport.sourceAddress());
        if (!higher && !tieWon) {
            return; // §6.4.3: discard; they will hear us and yield (split brain resolves here).
        }
        if (version == VrrpVersion.V3) {
            masterAdverIntervalNanos = p.advertIntervalCentis() * VrrpTiming.CENTISECOND_NANOS;
        }
        String src = from.getHostAddress();
        becomeBackup(higher
                ? "higher priority " + p.priority() + " > " + effectivePriority + " from " + src + " (RFC 5798 §6.4.3)"
                : "equal priority " + p.priority() + " from higher address " + src + " (RFC 5798 §6.4.3)");
    }

    private void applyTracker(String target, boolean failing) {
        if (!trackers.set(target, failing)) {
            if (!trackers.known(target)) {
                log.debug("({}) ignoring untracked target {}", name, target);
            }
            return;
        }
        int before = effectivePriority;
        effectivePriority = trackers.effectivePriority(config.priority());
        priorityView = effectivePriority;
        if (before != effectivePriority) {
            VrrpPriorityChanged changed = new VrrpPriorityChanged(name, before, effectivePriority, target, failing,
                    trackers.weight(target), clock.currentTimeMillis());
            events.publish(changed);
        }
        if (!running) {
            return; // startup reads the trackers
        }
        String fault = trackers.faultCause();
        if (fault != null) {
            if (state != VrrpState.FAULT) {
                becomeFault("tracker " + fault + " failing (weight 0)");
            }
        } else if (state == VrrpState.FAULT) {
            enterFromInitialize("tracker " + target + " recovered, leaving fault");
        } else if (before != effectivePriority && state == VrrpState.MASTER) {
            // Tell backups now, not at the next timer: a backup that now outranks us preempts sooner.
            sendAdvert(effectivePriority);
            scheduleAdverTimer();
        }
    }

    private void adverTimerFired() {
        if (state == VrrpState.MASTER) {
            sendAdvert(effectivePriority);
            scheduleAdverTimer();
        }
    }

    private void masterDownTimerFired() {
        if (state == VrrpState.BACKUP) {
            becomeMaster(masterDownCause + " (RFC 5798 §6.4.2)");
        }
    }

    // ---------------------------------------------------------------- transitions

    /** Sends an advert, adds the addresses, announces them, starts the Adver_Timer (§6.4.1, §6.4.2). */
    private void becomeMaster(String reason) {
        StateTransition t = StateTransition.of(state, VrrpState.MASTER);
        cancelMasterDownTimer();
        lowerMasterSinceNanos = -1;
        sendAdvert(effectivePriority);
        actuator.add(config.interfaceName(), vips);
        actuator.announce(config.interfaceName(), vips);
        scheduleAdverTimer();
        record(t, reason);
    }

    /** Gives up the addresses if we held them, and waits for the master (§6.4.1, §6.4.3). */
    private void becomeBackup(String reason) {
        becomeBackup(reason, false);
    }

    /** As {@link #becomeBackup(String)}; a master leaving of its own accord says so with priority 0. */
    private void becomeBackup(String reason, boolean sendPriorityZero) {
        StateTransition t = StateTransition.of(state, VrrpState.BACKUP);
        if (state == VrrpState.MASTER) {
            releaseMastership(sendPriorityZero);
        }
        long down = VrrpTiming.masterDownNanos(version, effectivePriority, masterAdverIntervalNanos);
        resetMasterDownTimer(down, "master down timer expired (no advertisement for " + VrrpTiming.millis(down) + ")");
        record(t, reason);
    }

    /** Gives up the addresses and goes quiet until the weight-0 trackers recover (keepalived). */
    private void becomeFault(String reason) {
        StateTransition t = StateTransition.of(state, VrrpState.FAULT);
        if (state == VrrpState.MASTER) {
            // Priority 0 lets the backup take over after Skew_Time instead of Master_Down_Interval.
            releaseMastership(true);
        }
        cancelMasterDownTimer();
        lowerMasterSinceNanos = -1;
        record(t, reason);
    }

    private void releaseMastership(boolean sendPriorityZero) {
        if (adverTimer != null) {
            adverTimer.cancel();
            adverTimer = null;
        }
        if (sendPriorityZero) {
            sendAdvert(0);
        }
        actuator.remove(config.interfaceName(), vips);
    }

    /** The one place a state changes: count, publish (which logs), notify. */
    private void record(StateTransition t, String reason) {
        state = t.to();
        stateView = state;
        counters.transitionedTo(state);
        // The log line is the event's too: the app subscribes the log to the bus (core.EventLog).
        events.publish(new VrrpTransition(name, t.from(), t.to(), reason, effectivePriority, clock.currentTimeMillis()));
        try {
            notifyHook.stateChanged(name, t.to(), effectivePriority);
        } catch (RuntimeException e) {
            log.warn("({}) notify hook failed", name, e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void sendAdvert(int priority) {
        transport.send(new VrrpPacket(version, config.virtualRouterId(), priority, advertIntervalCentis, vipAddresses,
                config.authPassword()));
        counters.sent(priority);
    }

    private void scheduleAdverTimer() {
        if (adverTimer != null) {
            adverTimer.cancel();
        }
        adverTimer = scheduler.schedule(advertIntervalNanos, this::adverTimerFired);
    }

    private void resetMasterDownTimer(long nanos, String cause) {
        cancelMasterDownTimer();
        masterDownCause = cause;
        masterDownTimer = scheduler.schedule(nanos, this::masterDownTimerFired);
    }

    private void cancelMasterDownTimer() {
        if (masterDownTimer != null) {
            masterDownTimer.cancel();
            masterDownTimer = null;
        }
    }

    /** Counts every drop; logs the first of each reason at WARN (a misconfigured peer would flood the log). */
    private void drop(DropReason reason, String detail) {
        counters.dropped(reason);
        if (reason != DropReason.WRONG_VRID && warned.add(reason)) {
            log.warn("({}) advert dropped, {}: {} (further ones at DEBUG)", name, reason, detail);
        } else {
            log.debug("({}) advert dropped, {}: {}", name, reason, detail);
        }
    }
}

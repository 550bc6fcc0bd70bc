package io.bulwark.app;

import io.bulwark.config.TrackConfig;
import io.bulwark.config.VrrpConfig;
import io.bulwark.config.VrrpInstanceConfig;
import io.bulwark.core.EventBus;
import io.bulwark.failover.FailoverFeasibility;
import io.bulwark.failover.LinuxAddressActuator;
import io.bulwark.failover.RawSocketAdvertTransport;
import io.bulwark.failover.VirtualAddress;
import io.bulwark.failover.VrrpContext;
import io.bulwark.failover.VrrpInstance;
import io.bulwark.failover.VrrpScheduler;
import io.bulwark.monitor.CheckStateChanged;
import io.bulwark.monitor.Status;
import io.bulwark.upstream.Server;
import io.bulwark.upstream.ServerStateChanged;
import io.bulwark.upstream.Upstream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's VRRP instances, wired to the gateway: one {@link VrrpInstance} per configured instance on a raw
 * socket with the Linux address actuator, and its trackers fed from the listeners (a connection probe on
 * its own virtual thread), the upstreams (server events, and polled as a safety net), the monitor's checks
 * (their HARD state changes) and scripts (each on its own virtual thread).
 */
final class Failover implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Failover.class);
    /** How often upstream trackers are read; server events trigger a read at once as well. */
    static final Duration POLL = Duration.ofMillis(100);
    /** How often a tracked listener is probed with a real connection, and how long it may take to accept. */
    static final Duration LISTENER_PROBE_EVERY = Duration.ofMillis(200);
    static final Duration LISTENER_PROBE_TIMEOUT = Duration.ofMillis(500);
    /** Consecutive failed probes before a listener tracker fails: one slow accept is not an outage. */
    static final int LISTENER_FALL = 2;

    /** No instances configured: nothing runs. */
    static final Failover NONE = new Failover(List.of(), null, null, null, List.of(), null);

    private final List<VrrpInstance> instances;
    private final VrrpScheduler scheduler;
    private final LinuxAddressActuator actuator;
    private final ScheduledExecutorService poller;
    /** Script trackers and the listener prober: stopped by interrupt. */
    private final List<Thread> trackerThreads;
    private final AutoCloseable subscription;
    private volatile boolean closed;

    private Failover(List<VrrpInstance> instances, VrrpScheduler scheduler, LinuxAddressActuator actuator,
            ScheduledExecutorService poller, List<Thread> trackerThreads, AutoCloseable subscription) {
        this.instances = instances;
        this.scheduler = scheduler;
        this.actuator = actuator;
        this.poller = poller;
        this.trackerThreads = trackerThreads;
        this.subscription = subscription;
    }

    /**
     * Starts every instance, BACKUP first as RFC 5798 §6.4.1 says (the owner goes MASTER at once).
     *
     * @throws IllegalStateException saying what is missing: CAP_NET_ADMIN, CAP_NET_RAW, the interface
     */
    static Failover start(VrrpConfig config, Predicate<String> listenerAccepting, Map<String, Upstream> upstreams,
            EventBus events) {
        if (config.instances().isEmpty()) {
            return NONE;
        }
        LinuxAddressActuator actuator = LinuxAddressActuator.create(
                config.instances().stream().map(VrrpInstanceConfig::interfaceName).distinct().toList());
        VrrpScheduler scheduler = VrrpScheduler.singleThread("vrrp");
        List<VrrpInstance> instances = new ArrayList<>();
        List<RawSocketAdvertTransport> transports = new ArrayList<>();
        try {
            for (VrrpInstanceConfig c : config.instances()) {
                transports.add(RawSocketAdvertTransport.forInstance(c));
                instances.add(new VrrpInstance(c, transports.getLast(), new VrrpContext(scheduler, actuator, events)));
            }
        } catch (RuntimeException e) {
            transports.forEach(RawSocketAdvertTransport::close);
            scheduler.close();
            actuator.close();
            throw e;
        }
        for (int i = 0; i < instances.size(); i++) {
            VrrpInstanceConfig c = config.instances().get(i);
            warnIfTrackersCannotMoveTheAddress(c);
            // After a crash (SIGKILL, OOM) the addresses may still be on the interface, answering ARP for a
            // node that is not the master. Remove them; the actuator runs requests in order, so a later
            // MASTER's add always follows this.
            actuator.remove(c.interfaceName(), c.virtualAddresses().stream().map(VirtualAddress::parse).toList());
        }
        ScheduledExecutorService poller =
                Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("vrrp-trackers").factory());
        Watch watch = new Watch(config, instances, listenerAccepting, upstreams);
        watch.poll(); // before start(): the instances' startup reads trackers already failing
        watch.probeListeners();
        List<Thread> trackerThreads = new ArrayList<>();
        Failover f;
        AutoCloseable subscription = events.subscribe(e -> {
            if (e instanceof ServerStateChanged s && watch.tracksUpstream(s.upstream())) {
                poller.execute(watch::poll);
            } else if (e instanceof CheckStateChanged c) {
                watch.checkChanged(c); // on the check's own thread, never an event loop
            }
        });
        f = new Failover(List.copyOf(instances), scheduler, actuator, poller, trackerThreads, subscription);
        for (ScriptTrack s : watch.scripts()) {
            trackerThreads.add(Thread.ofVirtual().name("vrrp-script").start(() -> f.runScript(s)));
        }
        poller.scheduleWithFixedDelay(watch::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        if (watch.tracksListeners()) {
            // Its own thread: a stuck listener's probe waits out its timeout without delaying the others.
            trackerThreads.add(Thread.ofVirtual().name("vrrp-listener-probe").start(() -> f.probeListeners(watch)));
        }
        for (VrrpInstance i : instances) {
            i.start();
            log.info("({}) VRRP started: priority {}, {} tracker(s)", i.name(), i.configuredPriority(),
                    config.instances().get(instances.indexOf(i)).tracks().size());
        }
        return f;
    }

    /** The start-up check ({@link FailoverFeasibility#forInstance}): a WARN when the pair needs a look. */
    static void warnIfTrackersCannotMoveTheAddress(VrrpInstanceConfig c) {
        FailoverFeasibility.Result r = FailoverFeasibility.forInstance(c);
        if (r.warning()) {
            log.warn("{}", r.message());
        } else if (r.verdict() == FailoverFeasibility.Verdict.NO_TRACKERS) {
            log.info("{}", r.message());
        }
    }

    private void probeListeners(Watch watch) {
        while (!closed) {
            try {
                Thread.sleep(LISTENER_PROBE_EVERY);
            } catch (InterruptedException e) {
                return;
            }
            if (!closed) {
                watch.probeListeners();
            }
        }
    }

    /** A script tracker: the command runs every interval, its time limit the interval too. */
    record ScriptTrack(String target, List<String> command, Duration interval, List<VrrpInstance> instances) {}

    private void runScript(ScriptTrack s) {
        Boolean last = null;
        String lastError = null;
        while (!closed) {
            String error = run(s);
            boolean failing = error != null;
            if (closed) {
                return;
            }
            // Why it fails is said once, not every interval: an unrunnable command stays unrunnable a while.
            if (error != null && !error.equals(lastError) && !error.isEmpty()) {
                log.warn("tracker {} could not run: {}", s.target(), error);
            }
            lastError = error;
            if (last == null || last != failing) {
                if (last != null || failing) {
                    log.info("tracker {} {}", s.target(), failing ? "failing" : "recovered");
                }
                last = failing;
                for (VrrpInstance i : s.instances()) {
                    i.trackerChanged(s.target(), failing);
                }
            }
            try {
                Thread.sleep(s.interval());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Runs the command once: {@code null} when it exits 0, an empty string when it fails or times out, and
     * the reason when it could not be started at all.
     */
    private static String run(ScriptTrack s) {
        try {
            Process p = new ProcessBuilder(s.command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(s.interval().toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return p.exitValue() == 0 ? null : "";
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The running instances, in config order; none when VRRP is not configured. */
    List<VrrpInstance> instances() {
        return instances;
    }

    /**
     * Stops every instance first (a master sends priority 0 and removes its addresses, RFC 5798 §6.4.3), waits
     * for that to be done, then stops the trackers. Called before anything else of the gateway stops.
     */
    @Override
    public void close() {
        if (instances.isEmpty() || closed) {
            return;
        }
        closed = true;
        instances.forEach(VrrpInstance::stop);
        CountDownLatch stopped = new CountDownLatch(1);
        scheduler.execute(stopped::countDown); // runs after every instance's shutdown task
        try {
            if (!stopped.await(5, TimeUnit.SECONDS)) {
                log.warn("VRRP instances did not stop within 5s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        actuator.close(); // waits for the address removals
        scheduler.close();
        poller.shutdownNow();
        trackerThreads.forEach(Thread::interrupt);
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("unsubscribe failed", e);
        }
        for (VrrpInstance i : instances) {
            log.info("({}) VRRP stopped: {}", i.name(), i.counters().describe());
        }
    }

    /**
     * Listener and upstream trackers: reads their state, tells instances about changes only. Upstreams are
     * read from their servers' eligibility; a listener is probed with a real connection ({@code listenerProbe},
     * which may block) and fails after {@link #LISTENER_FALL} failed probes in a row.
     */
    static final class Watch {
        private final Map<String, List<VrrpInstance>> byTarget = new LinkedHashMap<>();
        private final Map<String, Boolean> failing = new HashMap<>();
        private final Map<String, Integer> failedProbes = new HashMap<>();
        private final Map<String, TrackConfig> tracks = new LinkedHashMap<>();
        private final Predicate<String> listenerAccepting;
        private final Map<String, Upstream> upstreams;

        Watch(VrrpConfig config, List<VrrpInstance> instances, Predicate<String> listenerAccepting,
                Map<String, Upstream> upstreams) {
            this.listenerAccepting = listenerAccepting;
            this.upstreams = upstreams;
            for (int i = 0; i < instances.size(); i++) {
                for (TrackConfig t : config.instances().get(i).tracks()) {
                    byTarget.computeIfAbsent(t.target(), k -> new ArrayList<>()).add(instances.get(i));
                    tracks.putIfAbsent(t.target(), t);
                }
            }
        }

        boolean tracksListeners() {
            return tracks.values().stream().anyMatch(t -> t.kind().equals("listener"));
        }

        boolean tracksUpstream(String name) {
            return byTarget.containsKey("upstream:" + name);
        }

        List<ScriptTrack> scripts() {
            return tracks.values().stream().filter(t -> t.kind().equals("script"))
                    .map(t -> new ScriptTrack(t.target(), t.scriptCommand(), t.interval(), byTarget.get(t.target())))
                    .toList();
        }

        /** Reads the upstream trackers; runs on the poller thread only (and once before it starts). */
        void poll() {
            for (TrackConfig t : tracks.values()) {
                if (t.kind().equals("upstream")) {
                    report(t.target(), noEligibleServer(upstreams.get(t.subject())));
                }
            }
        }

        /**
         * A monitor check's confirmed (HARD) state: a tracker of it fails on CRITICAL, or from WARNING on when
         * it says {@code on: warning}; an UNKNOWN (the check could not tell) moves nothing.
         */
        void checkChanged(CheckStateChanged c) {
            TrackConfig t = tracks.get("check:" + c.check());
            if (t == null || !c.hard() || c.toStatus() == Status.UNKNOWN) {
                return;
            }
            report(t.target(), c.toStatus() == Status.CRITICAL || t.failOnWarning() && c.toStatus() == Status.WARNING);
        }

        /** Probes the tracked listeners; runs on the probe thread only (and once before it starts). */
        void probeListeners() {
            for (TrackConfig t : tracks.values()) {
                if (!t.kind().equals("listener")) {
                    continue;
                }
                boolean ok = listenerAccepting.test(t.subject());
                int failed;
                synchronized (this) {
                    failed = ok ? 0 : failedProbes.merge(t.target(), 1, Integer::sum);
                    if (ok) {
                        failedProbes.remove(t.target());
                    }
                }
                if (ok || failed >= LISTENER_FALL) {
                    report(t.target(), !ok);
                }
            }
        }

        private synchronized void report(String target, boolean now) {
            if (now == failing.getOrDefault(target, false)) {
                return;
            }
            failing.put(target, now);
            log.info("tracker {} {}", target, now ? "failing" : "recovered");
            for (VrrpInstance i : byTarget.get(target)) {
                i.trackerChanged(target, now);
            }
        }

        private static boolean noEligibleServer(Upstream u) {
            if (u == null) {
                return true;
            }
            for (Server s : u.servers()) {
                if (s.eligible()) {
                    return false;
                }
            }
            return true;
        }
    }
}

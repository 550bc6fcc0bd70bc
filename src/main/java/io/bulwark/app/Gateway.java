package io.bulwark.app;

import io.bulwark.admin.AdminServer;
import io.bulwark.alert.AlertManager;
import io.bulwark.admin.HealthView;
import io.bulwark.config.Config;
import io.bulwark.config.ListenerConfig;
import io.bulwark.config.TransportChoice;
import io.bulwark.config.UpstreamConfig;
import io.bulwark.core.Clock;
import io.bulwark.core.EventBus;
import io.bulwark.core.EventFile;
import io.bulwark.core.EventJournal;
import io.bulwark.core.EventLog;
import io.bulwark.core.Transport;
import io.bulwark.health.HealthChecker;
import io.bulwark.health.PassiveDetector;
import io.bulwark.monitor.Monitor;
import io.bulwark.proxy.AccessLog;
import io.bulwark.proxy.AccessLogWriter;
import io.bulwark.proxy.ProxyServer;
import io.bulwark.upstream.Server;
import io.bulwark.upstream.Upstream;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway node: the data-plane listeners and their event loops, active and passive health
 * detection, the host and peer checks, the access log and the admin listener.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** Enough for class loading and the first compiled versions of the request path, about 100 ms. */
    private static final int WARMUP_REQUESTS = 500;

    private final Config config;
    private final EventLoopGroup workers;
    private final AccessLog accessLog;
    private final EventBus events;
    private final EventJournal journal;
    private final EventFile eventFile;
    private final Map<String, Upstream> upstreams;
    private final Map<String, PassiveDetector> detectors;
    private final List<HealthChecker> checkers;
    private final ScheduledFuture<?> sweeper;
    private final ProxyServer proxy;
    private final AdminServer admin;
    private final Failover failover;
    private final Monitor monitor;
    private final AlertManager alerts;
    /** The start-up warm-up, still running when a gateway is closed right after its start. */
    private volatile Thread warmup;

    private Gateway(Config config, EventLoopGroup workers, AccessLog accessLog, Journal journal,
            Map<String, Upstream> upstreams, Map<String, PassiveDetector> detectors, List<HealthChecker> checkers,
            ScheduledFuture<?> sweeper, ProxyServer proxy, AdminServer admin, Failover failover, Monitor monitor,
            AlertManager alerts) {
        this.config = config;
        this.workers = workers;
        this.accessLog = accessLog;
        this.events = journal.bus();
        this.journal = journal.ring();
        this.eventFile = journal.file();
        this.upstreams = upstreams;
        this.detectors = detectors;
        this.checkers = checkers;
        this.sweeper = sweeper;
        this.proxy = proxy;
        this.admin = admin;
        this.failover = failover;
        this.monitor = monitor;
        this.alerts = alerts;
    }

    /** Starts everything the config describes; on any failure, stops what was started and rethrows. */
    public static Gateway start(Config config) throws Exception {
        Clock clock = Clock.system();
        Transport transport = transport(config.transport()); // before anything starts: it may refuse
        Journal journal = Journal.open(config);
        EventBus events = journal.bus();
        AlertManager alerts;
        try {
            alerts = AlertManager.start(config.alerts(), journal.ring(), events, clock); // first: it hears everything
        } catch (RuntimeException e) {
            journal.close();
            throw e;
        }
        Map<String, Upstream> upstreams = new LinkedHashMap<>();
        Map<String, PassiveDetector> detectors = new LinkedHashMap<>();
        for (UpstreamConfig u : config.upstreams().values()) {
            Upstream upstream = new Upstream(u, clock, events);
            upstreams.put(u.name(), upstream);
            detectors.put(u.name(), new PassiveDetector(upstream, clock));
        }
        EventLoopGroup workers = transport.newGroup(config.workers(), "bulwark-io");
        AccessLog accessLog = AccessLog.off();
        ProxyServer proxy = null;
        List<HealthChecker> checkers = new ArrayList<>();
        ScheduledFuture<?> sweeper = null;
        Failover failover = Failover.NONE;
        Monitor monitor = Monitor.NONE;
        try {
            accessLog = AccessLogWriter.open(config.accessLog());
            proxy = ProxyServer.start(config, upstreams, accessLog, workers, Map.copyOf(detectors));
            for (Upstream u : upstreams.values()) {
                checkers.add(HealthChecker.start(u, workers, transport));
            }
            // Ejections end on the first eligibility read after their deadline; the sweep makes the
            // EJECTED -> SERVING transition (and its event) timely when no traffic arrives.
            sweeper = workers.next().scheduleAtFixedRate(() -> detectors.values().forEach(PassiveDetector::sweep),
                    1, 1, TimeUnit.SECONDS);
            ProxyServer p = proxy;
            failover = Failover.start(config.vrrp(),
                    name -> p.answersConnect(name, Failover.LISTENER_PROBE_TIMEOUT), upstreams, events); // after the proxy serves
            monitor = Monitor.start(config.monitor(), events); // after failover: its trackers hear the first results
            AdminServer admin = AdminServer.start(config.admin(), new Health(config, upstreams, p), new ServerCommands(upstreams),
                    new VrrpCommands(failover.instances()), transport);
            Gateway g = new Gateway(config, workers, accessLog, journal, upstreams, detectors, checkers, sweeper, proxy, admin, failover, monitor, alerts);
            // Off the caller's thread: a node taking over an address meanwhile is served, only more slowly.
            g.warmup = Thread.ofVirtual().name("bulwark-warmup").start(() -> {
                DataPlaneWarmup.run(workers, WARMUP_REQUESTS);
                ClassPreload.run(); // after: the warm-up's own classes come first, for the first request's sake
            });
            for (ListenerConfig l : config.listeners()) {
                log.info("listener {} serving on {}", l.name(), proxy.localAddress(l.name()));
            }
            log.info("admin on {} ({} event loops)", admin.localAddress(), config.workers());
            Preflight.admin(config).ifPresent(f -> log.warn(f.message()));
            return g;
        } catch (Exception e) {
            monitor.close();
            failover.close();
            checkers.forEach(HealthChecker::close);
            if (sweeper != null) {
                sweeper.cancel(false);
            }
            if (proxy != null) {
                proxy.close();
            }
            accessLog.close();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            alerts.close();
            journal.close();
            throw e;
        }
    }

    public Config config() {
        return config;
    }

    /** Where a data-plane listener is bound. */
    public InetSocketAddress listenerAddress(String name) {
        return proxy.localAddress(name);
    }

    public InetSocketAddress adminAddress() {
        return admin.localAddress();
    }

    /** Upstreams by name, as built from the config. */
    public Map<String, Upstream> upstreams() {
        return upstreams;
    }

    /** Passive detection per upstream, by upstream name. */
    public Map<String, PassiveDetector> detectors() {
        return detectors;
    }

    /** Where server transitions and other events are published; alerting and metrics subscribe here. */
    public EventBus events() {
        return events;
    }

    /** The alarms: who is told what; {@link AlertManager#NONE} without rules. */
    public AlertManager alerts() {
        return alerts;
    }

    /** The last events, numbered: what the API shows and alarms catch up from. */
    public EventJournal journal() {
        return journal;
    }

    /** Stops accepting, lets in-flight work finish briefly, then releases every resource. */
    @Override
    public void close() {
        monitor.close(); // a plugin in progress is killed, and no result reaches a stopping tracker
        failover.close(); // then: a master's priority-0 advert goes out while the proxy still serves
        stopWarmup();
        checkers.forEach(HealthChecker::close);
        sweeper.cancel(false);
        proxy.close();
        admin.close();
        workers.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        accessLog.close();
        alerts.close(); // what is due goes out, or into the spool for the next start
        if (eventFile != null) {
            eventFile.close(); // last: the transitions of the stop itself are written too
        }
    }

    /** Ends a warm-up still running (its socket read is interruptible), so it never outlives the event loops. */
    private void stopWarmup() {
        Thread t = warmup;
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The configured transport; {@code auto} takes the best one here. Throws when a pinned one cannot run. */
    static Transport transport(TransportChoice choice) {
        if (choice == TransportChoice.AUTO) {
            return Transport.best();
        }
        Transport t = Transport.named(choice.configName()).require();
        Transport.announce(t, "transport: " + choice.configName() + " in the config");
        return t;
    }

    /**
     * The event bus with its standing subscribers: the journal first (what the others read), then the log
     * line, then the file's writer, woken for each event. Its file, if configured, is read back first.
     */
    private record Journal(EventBus bus, EventJournal ring, EventFile file) {
        static Journal open(Config config) throws java.io.IOException {
            EventBus bus = new EventBus();
            EventJournal ring = new EventJournal(config.events().ring());
            EventFile file = config.events().file().isEmpty() ? null : EventFile.open(config.events().file().get(),
                    config.events().maxFileSize(), config.events().maxFiles(), ring);
            bus.subscribe(ring);
            bus.subscribe(new EventLog());
            if (file != null) {
                bus.subscribe(e -> file.wake());
            }
            return new Journal(bus, ring, file);
        }

        void close() {
            if (file != null) {
                file.close();
            }
        }
    }

    /** Readiness as the admin endpoints report it. */
    private record Health(Config config, Map<String, Upstream> upstreams, ProxyServer proxy) implements HealthView {
        @Override
        public boolean ready() {
            for (ListenerConfig l : config.listeners()) {
                if (!proxy.accepting(l.name())) {
                    return false;
                }
            }
            for (Upstream u : upstreams.values()) {
                if (eligibleCount(u) == 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String readinessReport() {
            StringBuilder b = new StringBuilder();
            for (ListenerConfig l : config.listeners()) {
                b.append("listener ").append(l.name()).append(' ')
                        .append(proxy.accepting(l.name()) ? "accepting" : "NOT accepting").append('\n');
            }
            for (Upstream u : upstreams.values()) {
                b.append("upstream ").append(u.name()).append(' ').append(eligibleCount(u)).append('/')
                        .append(u.servers().size()).append(" servers eligible\n");
            }
            return b.toString();
        }

        private static int eligibleCount(Upstream u) {
            int n = 0;
            for (Server s : u.servers()) {
                if (s.eligible()) {
                    n++;
                }
            }
            return n;
        }
    }
}

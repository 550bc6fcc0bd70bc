package io.bulwark.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.bulwark.config.Config;
import io.bulwark.config.ConfigLoader;
import io.bulwark.config.VrrpInstanceConfig;
import io.bulwark.core.Event;
import io.bulwark.core.EventBus;
import io.bulwark.failover.NotifyHook;
import io.bulwark.failover.VrrpContext;
import io.bulwark.failover.VrrpInstance;
import io.bulwark.failover.VrrpPriorityChanged;
import io.bulwark.failover.VrrpScheduler;
import io.bulwark.monitor.CheckStateChanged;
import io.bulwark.monitor.Monitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The article's CPU-load service (Nagios's check_load, warning 8.0, critical 12.0) run by the monitor with the
 * real plugin and its thresholds forced low, so the host "runs hot": once confirmed, the VRRP tracker watching
 * it lowers the instance's priority, so the peer takes the virtual address over.
 */
class MonitorTrackerTest {
    private static final String CHECK_LOAD = "/usr/lib/nagios/plugins/check_load";

    private static final String YAML = """
            listeners: [{ name: web, bind: "127.0.0.1:0" }]
            routes: [{ upstream: app }]
            upstreams: { app: { servers: [{ address: "127.0.0.1:9" }] } }
            monitor:
              cpu_load:
                type: exec
                # The article's thresholds are -w 8.0 -c 12.0; zero makes any load at all critical.
                command: "%s -w 0,0,0 -c 0,0,0"
                check_interval: 300ms
                retry_interval: 100ms
                max_check_attempts: 2
                timeout: 250ms
            vrrp:
              instances:
                - name: VI_1
                  interface: eth0
                  virtual_router_id: 51
                  priority: 100
                  virtual_ips: [192.0.2.100/24]
                  track:
                    - check: cpu_load
                      weight: -60
            """.formatted(CHECK_LOAD);

    @Test
    void aConfirmedCriticalCheckLowersThePriorityOfTheInstanceTrackingIt() throws Exception {
        assumeThat(Files.isExecutable(Path.of(CHECK_LOAD)))
                .as("needs the Nagios plugins (Debian monitoring-plugins-basic; .ci/run installs it)").isTrue();
        Config config = ConfigLoader.parse("app.yaml", YAML);
        VrrpInstanceConfig vi = config.vrrp().instances().getFirst();
        EventBus bus = new EventBus();
        List<Event> events = new CopyOnWriteArrayList<>();
        bus.subscribe(events::add);
        VrrpScheduler scheduler = VrrpScheduler.singleThread("vrrp-test");
        VrrpInstance instance = new VrrpInstance(vi, new FailoverTest.SilentTransport(),
                new VrrpContext(scheduler, new FailoverTest.NoActuator(), bus, c -> NotifyHook.none()));
        var watch = new Failover.Watch(config.vrrp(), List.of(instance), name -> true, Map.of());
        bus.subscribe(e -> {
            if (e instanceof CheckStateChanged c) {
                watch.checkChanged(c);
            }
        });
        try (Monitor monitor = Monitor.start(config.monitor(), bus)) {
            FailoverTest.awaitPriority(instance, 100);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(instance.effectivePriority())
                    .isEqualTo(40));
            List<String> checkLines = events.stream().filter(e -> e instanceof CheckStateChanged)
                    .map(Event::describe).toList();
            assertThat(checkLines).first().asString()
                    .startsWith("(monitor/cpu_load) OK -> CRITICAL (SOFT 1/2): LOAD CRITICAL - total load average: ");
            assertThat(checkLines.get(1))
                    .startsWith("(monitor/cpu_load) CRITICAL (SOFT) -> CRITICAL (HARD 2/2): LOAD CRITICAL - ");
            assertThat(events).filteredOn(e -> e instanceof VrrpPriorityChanged).singleElement()
                    .extracting(Event::describe).isEqualTo(
                            "(VI_1) effective priority 100 -> 40: tracker check:cpu_load failing (weight -60)");
            assertThat(monitor.last("cpu_load").perfData()).extracting(p -> p.label())
                    .containsExactly("load1", "load5", "load15");
        } finally {
            instance.stop();
            scheduler.close();
        }
    }
}

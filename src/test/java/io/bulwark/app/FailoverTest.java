package io.bulwark.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.config.Config;
import io.bulwark.config.ConfigLoader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import io.bulwark.config.TrackConfig;
import io.bulwark.config.VrrpConfig;
import io.bulwark.config.VrrpInstanceConfig;
import io.bulwark.core.EventBus;
import io.bulwark.failover.AddressActuator;
import io.bulwark.failover.AdvertTransport;
import io.bulwark.failover.NotifyHook;
import io.bulwark.failover.VirtualAddress;
import io.bulwark.failover.VrrpContext;
import io.bulwark.failover.VrrpInstance;
import io.bulwark.failover.VrrpPacket;
import io.bulwark.failover.VrrpScheduler;
import io.bulwark.upstream.Upstream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FailoverTest {
    static final String YAML = """
            listeners:
              - name: web
                bind: 127.0.0.1:PORT
            routes:
              - upstream: app
            upstreams:
              app:
                servers:
                  - address: 127.0.0.1:9
            admin:
              bind: 127.0.0.1:0
            vrrp:
              instances:
                - name: VI_1
                  interface: bulwark-nosuch0
                  virtual_router_id: 51
                  virtual_ips: [192.0.2.100/24]
                  track:
                    - upstream: app
                      weight: -60
            """;

    @Test
    void aVrrpInstanceThatCannotStartStopsTheGatewayFromStartingAndReleasesItsListeners() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Config config = ConfigLoader.parse("app.yaml", YAML.replace("PORT", Integer.toString(port)));

        // As root: no such interface. Otherwise: no CAP_NET_ADMIN or CAP_NET_RAW. Each names VRRP.
        assertThatThrownBy(() -> Gateway.start(config)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("VRRP");

        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress("127.0.0.1", port));
            assertThat(again.isBound()).as("the listener was closed on the failed start").isTrue();
        }
    }

    @Test
    void withoutVrrpNothingStarts() throws Exception {
        Config config = ConfigLoader.parse("app.yaml", YAML.replace("PORT", "0").substring(0, YAML.replace("PORT", "0").indexOf("vrrp:")));
        assertThat(config.vrrp().instances()).isEmpty();
        try (Gateway g = Gateway.start(config)) {
            assertThat(g.listenerAddress("web").getPort()).isPositive();
        }
    }

    @Test
    void listenerAndUpstreamTrackersChangeTheEffectivePriorityOnlyWhenTheirStateChanges() throws Exception {
        Config config = ConfigLoader.parse("app.yaml", YAML.replace("PORT", "0"));
        Upstream app = new Upstream(config.upstreams().get("app"));
        var vi = new VrrpInstanceConfig("VI_1", 3, "eth0", 51, 100, Duration.ofSeconds(1), true, Duration.ZERO, null,
                List.of(), List.of("192.0.2.100/24"), null,
                List.of(new TrackConfig("listener:web", -30), new TrackConfig("upstream:app", -20)), List.of());
        VrrpScheduler scheduler = VrrpScheduler.singleThread("vrrp-test");
        VrrpInstance instance = new VrrpInstance(vi, new SilentTransport(),
                new VrrpContext(scheduler, new NoActuator(), new EventBus(), c -> NotifyHook.none()));
        AtomicBoolean accepting = new AtomicBoolean(true);
        var watch = new Failover.Watch(new VrrpConfig(List.of(vi)), List.of(instance), name -> accepting.get(),
                Map.of("app", app));
        try {
            watch.poll();
            awaitPriority(instance, 100);

            accepting.set(false);
            watch.probeListeners();
            watch.poll();
            watch.probeListeners(); // a second failed probe in a row: failing
            awaitPriority(instance, 70);

            app.servers().getFirst().healthy(false);
            watch.poll();
            awaitPriority(instance, 50);

            accepting.set(true);
            watch.probeListeners();
            watch.poll();
            awaitPriority(instance, 80);
        } finally {
            instance.stop();
            scheduler.close();
        }
    }

    static void awaitPriority(VrrpInstance instance, int priority) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(instance.effectivePriority()).isEqualTo(priority));
    }

    /** Sends nowhere, hears nothing. */
    static final class SilentTransport implements AdvertTransport {
        @Override
        public Inet4Address sourceAddress() {
            try {
                return (Inet4Address) InetAddress.getByName("192.0.2.1");
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void start(Consumer<byte[]> receiver) {}

        @Override
        public void send(VrrpPacket packet) {}

        @Override
        public void close() {}
    }

    /** Moves no addresses. */
    static final class NoActuator implements AddressActuator {
        @Override
        public void add(String interfaceName, List<VirtualAddress> addresses) {}

        @Override
        public void remove(String interfaceName, List<VirtualAddress> addresses) {}

        @Override
        public void announce(String interfaceName, List<VirtualAddress> addresses) {}
    }
}

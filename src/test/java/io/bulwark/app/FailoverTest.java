package io.bulwark.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.config.Config;
import io.bulwark.config.ConfigLoader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

        // As root: no such interface. Otherwise: no CAP_NET_RAW, or ip/arping missing. Each names VRRP.
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
}

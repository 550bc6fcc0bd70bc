package io.bulwark.cli;

import io.bulwark.app.Gateway;
import io.bulwark.config.Config;
import io.bulwark.config.ConfigException;
import io.bulwark.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bulwark demo}: three loopback backends and a gateway in front of them, to try things by hand. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Start three demo backends and a gateway in front of them.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "Gateway port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--admin-port", defaultValue = "9901", description = "Admin port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Override
    public Integer call() throws Exception {
        List<DemoBackend> backends = new ArrayList<>();
        int[] weights = {5, 3, 2};
        for (int i = 0; i < weights.length; i++) {
            backends.add(DemoBackend.start("backend-" + (i + 1)));
        }
        Config config;
        try {
            config = ConfigLoader.parse("demo.yaml", demoYaml(backends, weights));
        } catch (ConfigException e) {
            // The demo's own config failing validation is a bug, not a user error: show it plainly.
            throw new IllegalStateException(e.getMessage(), e);
        }
        Gateway gateway = Gateway.start(config);
        System.out.println(tryThis(backends, weights));
        Foreground.runUntilSignalled(() -> {
            gateway.close();
            backends.forEach(DemoBackend::close);
        });
        return 0;
    }

    private String demoYaml(List<DemoBackend> backends, int[] weights) {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < backends.size(); i++) {
            servers.append("      - address: 127.0.0.1:").append(backends.get(i).port())
                    .append("\n        weight: ").append(weights[i]).append('\n');
        }
        // One event loop, so a user curling by hand sees nginx's exact 5:3:2 interleaving; each loop
        // balances on its own, and two loops would interleave two sequences.
        return """
                workers: 1
                listeners:
                  - name: web
                    bind: 0.0.0.0:%d
                routes:
                  - name: default
                    path_prefix: /
                    upstream: app
                upstreams:
                  app:
                    balance: round_robin
                    connect_timeout: 1s
                    read_timeout: 30s
                    servers:
                %sadmin:
                  bind: 127.0.0.1:%d
                access_log:
                  format: combined
                  path: stdout
                """.formatted(port, servers, adminPort);
    }

    private String tryThis(List<DemoBackend> backends, int[] weights) {
        StringBuilder b = new StringBuilder("\nBulwark demo is up.\n");
        for (int i = 0; i < backends.size(); i++) {
            b.append("  backend-").append(i + 1).append(" on 127.0.0.1:").append(backends.get(i).port())
                    .append(" (weight ").append(weights[i]).append(")\n");
        }
        b.append("""
                Try:
                  curl -s http://127.0.0.1:%1$d/                      # one answer; repeat to watch 5:3:2 smooth round-robin
                  for i in $(seq 10); do curl -s http://127.0.0.1:%1$d/; done
                  curl -si http://127.0.0.1:%1$d/status/503           # a backend's error passed through
                  curl -s http://127.0.0.1:%2$d/healthz               # admin: alive
                  curl -s http://127.0.0.1:%2$d/readyz                # admin: ready, with per-upstream detail
                  curl -s http://127.0.0.1:%2$d/api/upstreams         # admin: every server's state, as JSON
                  curl -s -X POST http://127.0.0.1:%2$d/api/upstreams/app/servers/127.0.0.1:%3$d/drain   # take backend-1 out; .../ready brings it back
                Ctrl-C stops everything.
                """.formatted(port, adminPort, backends.getFirst().port()));
        return b.toString();
    }
}

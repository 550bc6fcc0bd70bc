package io.bulwark.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.core.Threshold;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Threshold ANY = Threshold.parse("@0:");

    private static ServerSocket listening() throws Exception {
        return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @Test
    void connectToAListeningPortIsOkWithItsTime() throws Exception {
        try (ServerSocket server = listening()) {
            Levels roomy = new Levels(Threshold.parse("1000"), Threshold.parse("2000"));

            CheckResult result = new LatencyProbe(roomy, "127.0.0.1", server.getLocalPort()).run(TIMEOUT);

            assertThat(result.status()).isEqualTo(Status.OK);
            assertThat(result.text()).matches("LATENCY OK - 127\\.0\\.0\\.1:" + server.getLocalPort()
                    + " connected in \\d+\\.\\d\\d ms");
            assertThat(result.perfData()).singleElement().satisfies(d -> {
                assertThat(d.label()).isEqualTo("time");
                assertThat(d.unit()).isEqualTo("ms");
                assertThat(d.value()).isBetween(0.0, 1000.0);
                assertThat(d.warn()).isEqualTo("1000");
                assertThat(d.crit()).isEqualTo("2000");
                assertThat(d.min()).isEqualTo(0.0);
                assertThat(d.max()).isNull();
            });
        }
    }

    @Test
    void levelsApplyToTheMilliseconds() throws Exception {
        try (ServerSocket server = listening()) {
            int port = server.getLocalPort();

            assertThat(new LatencyProbe(new Levels(ANY, null), "localhost", port).run(TIMEOUT).status())
                    .isEqualTo(Status.WARNING);
            assertThat(new LatencyProbe(new Levels(ANY, ANY), "localhost", port).run(TIMEOUT).text())
                    .startsWith("LATENCY CRITICAL - localhost:" + port + " connected in ");
        }
    }

    @Test
    void closedPortIsCriticalRefused() throws Exception {
        int port;
        try (ServerSocket server = listening()) {
            port = server.getLocalPort();
        }

        CheckResult result = new LatencyProbe(Levels.NONE, "127.0.0.1", port).run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.text()).isEqualTo("LATENCY CRITICAL - 127.0.0.1:" + port + ": connection refused");
        assertThat(result.perfData()).isEmpty();
    }

    @Test
    void connectThatGetsNoAnswerIsCriticalTimedOut() throws Exception {
        // Linux drops a SYN once a listener's accept queue is full, so a further connect waits for an answer.
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            List<Socket> fillers = new ArrayList<>();
            try {
                assertThat(queueFilled(server, fillers)).as("a connect to the full listener timed out").isTrue();

                CheckResult result = new LatencyProbe(Levels.NONE, "127.0.0.1", port).run(Duration.ofMillis(200));

                assertThat(result.text()).isEqualTo("LATENCY CRITICAL - 127.0.0.1:" + port
                        + ": timed out after 200 ms");
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    /** Connects without accepting until a connect times out; false if the queue never filled. */
    private static boolean queueFilled(ServerSocket server, List<Socket> fillers) throws IOException {
        for (int i = 0; i < 20; i++) {
            Socket filler = new Socket();
            fillers.add(filler);
            try {
                filler.connect(server.getLocalSocketAddress(), 200);
            } catch (SocketTimeoutException e) {
                return true;
            }
        }
        return false;
    }

    @Test
    void unresolvableNameIsCritical() throws Exception {
        CheckResult result = new LatencyProbe(Levels.NONE, "no-such-host.invalid", 80).run(TIMEOUT);

        assertThat(result.status()).isEqualTo(Status.CRITICAL);
        assertThat(result.text()).isEqualTo("LATENCY CRITICAL - no-such-host.invalid:80: cannot resolve "
                + "no-such-host.invalid");
    }
}

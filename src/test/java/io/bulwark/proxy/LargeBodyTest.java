package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.Bytes;
import io.bulwark.testing.HttpHead;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bodies far larger than the gateway's heap stream through it: the gateway runs in a child JVM capped at
 * 128 MiB, the 256 MiB bodies are generated and checksummed on the fly in this JVM.
 */
class LargeBodyTest {
    static final long SIZE = 256L * 1024 * 1024;
    static final long SEED = 42;
    static TestBackend backend;
    static Process gateway;
    static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        backend = TestBackend.start(ex -> {
            if (ex.request().method().equals("PUT")) {
                Bytes.Digest d = Bytes.digest(ex.body());
                ex.respond(200, d.length() + " " + d.crc());
            } else {
                ex.stream(SIZE, SEED);
            }
        });
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx128m", "--enable-native-access=ALL-UNNAMED",
                "-cp", cp, StandaloneProxy.class.getName(), String.valueOf(backend.port())));
        gateway = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("LISTENING ")) {
            // startup chatter
        }
        assertThat(line).as("child gateway output").isNotNull();
        address = new InetSocketAddress("127.0.0.1", Integer.parseInt(line.substring("LISTENING ".length()).trim()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.getOutputStream().close();
            if (!gateway.waitFor(10, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
        backend.close();
    }

    @Test
    void uploads256MiBThroughA128MiBGateway() throws Exception {
        try (RawClient c = new RawClient(address)) {
            long t0 = System.nanoTime();
            c.send("PUT /up HTTP/1.1\r\nHost: a\r\nContent-Length: " + SIZE + "\r\n\r\n");
            Bytes.Digest sent = Bytes.generate(c.out(), SIZE, SEED);
            RawClient.Response r = c.read();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo(sent.length() + " " + sent.crc());
            System.out.println("256 MiB up in " + took.toMillis() + " ms");
        }
        assertThat(gateway.isAlive()).isTrue();
    }

    @Test
    void downloads256MiBThroughA128MiBGateway() throws Exception {
        try (RawClient c = new RawClient(address)) {
            long t0 = System.nanoTime();
            c.send("GET /down HTTP/1.1\r\nHost: a\r\n\r\n");
            HttpHead head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            Bytes.Digest got = Bytes.digest(head.body(c.in()));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(got).isEqualTo(Bytes.expected(SIZE, SEED));
            System.out.println("256 MiB down in " + took.toMillis() + " ms");
        }
        assertThat(gateway.isAlive()).isTrue();
    }
}

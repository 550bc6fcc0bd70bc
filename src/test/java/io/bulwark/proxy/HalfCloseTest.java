package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.Bytes;
import io.bulwark.testing.EventLoops;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.TestBackend;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that shuts down its sending side after its request (HTTP/1.0 clients, scripts, some probes)
 * still gets its answer, as from nginx and HAProxy; then the connection ends.
 */
@ExtendWith(LeakDetection.class)
class HalfCloseTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);
    // More than loopback's socket buffers hold while the client does not read.
    private static final long LARGE = 32L << 20;
    private final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
    private TestBackend backend;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        backend = TestBackend.start(ex -> {
            if (ex.request().uri().equals("/large")) {
                ex.stream(LARGE, 7);
                return;
            }
            String body = ex.bodyText();
            bodies.add(body);
            ex.respond(200, ex.request().uri() + ":" + body);
        });
        gateway = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()));
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        backend.close();
    }

    @Test
    void aRequestFollowedByAHalfCloseIsAnswered() throws Exception {
        String got = sendThenHalfClose("GET /a HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(got).startsWith("HTTP/1.1 200 ").endsWith("/a:");
    }

    @Test
    void aRequestWithABodyFollowedByAHalfCloseIsAnswered() throws Exception {
        String got = sendThenHalfClose("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(got).startsWith("HTTP/1.1 200 ").endsWith("/p:hello");
        String chunked = sendThenHalfClose(
                "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
        assertThat(chunked).startsWith("HTTP/1.1 200 ").endsWith("/c:abc");
    }

    @Test
    void anAnswerLargerThanTheSocketBuffersReachesAHalfClosedClientWhole() throws Exception {
        // The client reads late, so the gateway's writes fill the socket buffers and it must wait to write
        // the rest (on epoll: ask for writability) after the client's end of input was read.
        try (Socket s = new Socket(gateway.address().getAddress(), gateway.address().getPort())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /large HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            Thread.sleep(300);
            java.io.InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200 ").contains("Content-Length: " + LARGE);
            assertThat(Bytes.digest(in)).isEqualTo(Bytes.expected(LARGE, 7));
        }
    }

    private static String readHead(java.io.InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("head ends before the connection").isNotNegative();
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void pipelinedRequestsBeforeTheHalfCloseAreAllAnswered() throws Exception {
        String got = sendThenHalfClose("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(got).contains("/1:").endsWith("/2:");
        assertThat(got.split("HTTP/1.1 200 ", -1)).hasSize(3);
    }

    @Test
    void aBodyCutShortByTheHalfCloseIs400AndTheServerNeverGetsAWholeRequest() throws Exception {
        String got = sendThenHalfClose("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello");
        assertThat(got).startsWith("HTTP/1.1 400 ");
        org.awaitility.Awaitility.await().until(() -> backend.openConnections() == 0);
        assertThat(bodies).isEmpty();
    }

    @Test
    void anHttp10BodyCutShortByTheHalfCloseIs400Too() throws Exception {
        // HTTP/1.0 takes Netty's decoder, which ends such a body with nothing at all.
        String got = sendThenHalfClose("POST /p HTTP/1.0\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello");
        assertThat(got).startsWith("HTTP/1.1 400 ");
        assertThat(bodies).isEmpty();
    }

    @Test
    void aHalfCloseBetweenRequestsEndsTheConnection() throws Exception {
        try (Socket s = new Socket(gateway.address().getAddress(), gateway.address().getPort())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /a HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] head = new byte[12];
            assertThat(s.getInputStream().readNBytes(head, 0, head.length)).isEqualTo(head.length);
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
            s.shutdownOutput();
            // The rest of the answer, then the gateway's close: not its idle timeout of a minute.
            long t0 = System.nanoTime();
            s.getInputStream().readAllBytes();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
        }
    }

    /** Sends the bytes, shuts down the sending side, and reads until the gateway closes. */
    private String sendThenHalfClose(String request) throws Exception {
        try (Socket s = new Socket(gateway.address().getAddress(), gateway.address().getPort())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            s.getInputStream().transferTo(got);
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}

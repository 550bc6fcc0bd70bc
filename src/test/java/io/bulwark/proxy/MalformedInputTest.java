package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.testing.EventLoops;
import io.bulwark.testing.LeakDetection;
import io.bulwark.testing.RawClient;
import io.bulwark.testing.TestBackend;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Mangled requests against a real gateway: each gets HTTP answers or a closed connection, within seconds,
 * never a hang; no buffer leaks; and the gateway serves as before afterwards. Seeded and bounded.
 */
@ExtendWith(LeakDetection.class)
class MalformedInputTest {
    @RegisterExtension
    static final EventLoops loops = new EventLoops(2);

    private static final String[] CORPUS = {
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /q?x=1 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nCookie: a=b\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
        "PUT /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nX-Sum: 3\r\n\r\n",
        "POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
        "GET /ten HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n",
        "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    };
    private static final String[] PIECES = {" ", "\t", ":", ";", ",", "\r", "\n", "\r\n", "\r\n\r\n", "\u0000",
        "\u00ff", "0", "9", "-", "\"", "Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", "chunked",
        "Host: b\r\n", "HTTP/1.0", "ff\r\n", "Upgrade: websocket\r\nConnection: upgrade\r\n"};

    @Test
    void everyMangledRequestGetsAnswersOrACloseAndTheGatewayKeepsServing() throws Exception {
        try (TestBackend backend = TestBackend.start(ex -> ex.respond(200, "ok:" + ex.bodyText()));
                Gateway gateway = Gateway.start(loops.group(), Gateway.Options.defaults(), List.of(backend.address()))) {
            Random random = new Random(Long.getLong("seed", 20261125));
            int answered = 0;
            for (int i = 0; i < Integer.getInteger("cases", 300); i++) {
                String request = Wire.mangled(CORPUS[random.nextInt(CORPUS.length)], random, PIECES);
                String got = exchange(gateway, request);
                String shown = request.replace("\r", "\\r").replace("\n", "\\n");
                // Nothing at all (a head cut short by the close) or the gateway's or server's answers.
                assertThat(got.isEmpty() || got.startsWith("HTTP/1.1 ") || got.startsWith("HTTP/1.0 "))
                        .as("case %d: %s -> %s", i, shown, got).isTrue();
                answered += got.isEmpty() ? 0 : 1;
            }
            assertThat(answered).as("most cases get an answer (%d)", answered).isGreaterThan(200);
            try (RawClient c = new RawClient(gateway.address())) {
                RawClient.Response r = c.exchange("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.text()).isEqualTo("ok:hi");
            }
        }
    }

    /** Sends the bytes, half-closes, and reads until the gateway closes (a hang fails on the timeout). */
    private static String exchange(Gateway gateway, String request) throws Exception {
        try (Socket s = new Socket(gateway.address().getAddress(), gateway.address().getPort())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            in.transferTo(got);
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}

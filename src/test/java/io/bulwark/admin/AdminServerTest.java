package io.bulwark.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.AdminConfig;
import io.bulwark.config.HostPort;
import io.bulwark.core.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private AdminServer admin;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        admin = AdminServer.start(new AdminConfig(new HostPort("127.0.0.1", 0)), new HealthView() {
            @Override
            public boolean ready() {
                return ready.get();
            }

            @Override
            public String readinessReport() {
                return "upstream app " + (ready.get() ? "1/1" : "0/1") + " servers eligible\n";
            }
        }, Transport.best());
    }

    @AfterEach
    void stop() {
        admin.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + admin.localAddress().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAnswersWhileTheProcessLives() throws Exception {
        ready.set(false);
        HttpResponse<String> r = get("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok\n");
    }

    @Test
    void readyzFollowsTheHealthView() throws Exception {
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        ready.set(false);
        HttpResponse<String> r = get("/readyz");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).startsWith("not ready\n").contains("0/1 servers eligible");
    }

    @Test
    void aMalformedEscapeInThePathIs400AndAClose() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", admin.localAddress().getPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes(); // returns only once the server closes
            assertThat(new String(all, java.nio.charset.StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400 ");
        }
    }

    @Test
    void unknownPathIs404() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
    }
}

package io.bulwark.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A small HTTP server for the demo that says which backend answered, so a user can watch the balancing.
 * {@code /status/503} answers that status and {@code /slow?ms=500} waits, to try failure handling by hand.
 */
final class DemoBackend implements AutoCloseable {
    private final HttpServer server;
    private final String name;

    private DemoBackend(HttpServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /** Starts a backend on a free loopback port. */
    static DemoBackend start(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        DemoBackend b = new DemoBackend(server, name);
        server.createContext("/", b::handle);
        server.start();
        return b;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            int status = 200;
            if (path.startsWith("/status/")) {
                try {
                    status = Integer.parseInt(path.substring("/status/".length()));
                } catch (NumberFormatException e) {
                    status = 400;
                }
            }
            String query = ex.getRequestURI().getQuery();
            if (path.equals("/slow") && query != null && query.startsWith("ms=")) {
                try {
                    Thread.sleep(Math.min(60_000, Long.parseLong(query.substring(3))));
                } catch (NumberFormatException | InterruptedException e) {
                    status = 400;
                }
            }
            byte[] body = ("hello from " + name + ": " + ex.getRequestMethod() + " " + ex.getRequestURI() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.getResponseHeaders().set("X-Backend", name);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

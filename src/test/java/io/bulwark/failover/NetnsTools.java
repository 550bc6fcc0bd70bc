package io.bulwark.failover;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Small programs the namespace tests run as child JVMs inside the namespaces they create: a backend that
 * answers every request with a fixed body, a client that polls a URL every 10 ms and prints each change of
 * outcome with a timestamp, a sender of malformed IP-protocol-112 packets, a holder of idle connections and
 * a one-shot POST to an admin API. Each one ends on its own
 * (a time limit, or its stdin closing) so a failed test never leaves it behind.
 */
public final class NetnsTools {
    private NetnsTools() {}

    public static void main(String[] args) throws Exception {
        Thread.ofPlatform().daemon().start(NetnsTools::exitWhenStdinCloses);
        switch (args[0]) {
            case "backend" -> backend(args[1], Integer.parseInt(args[2]), args[3]);
            case "probe" -> probe(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "fuzz" -> fuzz(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]));
            case "hold" -> hold(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "post" -> post(args[1]);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void exitWhenStdinCloses() {
        try {
            while (System.in.read() >= 0) {
                // the parent test holds our stdin open while it wants us
            }
        } catch (IOException ignored) {
            // same as EOF
        }
        System.exit(0);
    }

    /** Answers every request with 200 and {@code body}, for at most 10 minutes. */
    static void backend(String host, int port, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        System.out.println("backend ready");
        Thread.sleep(600_000);
        System.exit(0);
    }

    /**
     * Starts a GET of {@code http://host:port/} every 10 ms (connect timeout 40 ms, read timeout 300 ms), each
     * on its own virtual thread so one hanging request never delays the next, for at most {@code seconds};
     * prints {@code <epoch millis> <outcome>} when a request completes with an outcome other than the last
     * printed one: the body on 200, {@code HTTP<status>} otherwise, {@code ERR:<exception>} on failure.
     */
    static void probe(String host, int port, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Object lock = new Object();
        String[] last = {null};
        while (System.nanoTime() < end) {
            Thread.ofVirtual().start(() -> {
                String outcome = get(host, port);
                synchronized (lock) {
                    if (!outcome.equals(last[0])) {
                        System.out.println(System.currentTimeMillis() + " " + outcome);
                        System.out.flush();
                        last[0] = outcome;
                    }
                }
            });
            Thread.sleep(10);
        }
        System.exit(0);
    }

    private static String get(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 40);
            s.setSoTimeout(300);
            s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int sp = response.indexOf(' ');
            if (sp < 0 || response.length() < sp + 4) {
                return "ERR:short-response";
            }
            String status = response.substring(sp + 1, sp + 4);
            int bodyAt = response.indexOf("\r\n\r\n");
            if (!status.equals("200") || bodyAt < 0) {
                return "HTTP" + status;
            }
            return response.substring(bodyAt + 4).strip();
        } catch (IOException e) {
            return "ERR:" + e.getClass().getSimpleName();
        }
    }

    /**
     * Sends {@code count} malformed protocol-112 packets to {@code to}: random bytes of random length,
     * truncated valid adverts, and valid adverts with one byte flipped (for VRID 51 and others), in bursts
     * of 50 with a millisecond between bursts so the receiver's socket buffer is not the thing tested.
     */
    /** POSTs an empty body to {@code url} (an admin API inside the namespace) and prints the status and body. */
    static void post(String url) throws Exception {
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).timeout(java.time.Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            System.out.println(r.statusCode() + " " + r.body().strip());
        }
        System.exit(0);
    }

    /**
     * Opens up to {@code count} idle connections to {@code host:port} and keeps them, each costing the server a
     * file descriptor once accepted, until stdin closes or a minute passes; prints {@code held N}.
     */
    static void hold(String host, int port, int count) throws Exception {
        List<Socket> held = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(host, port), 200);
                held.add(s);
            } catch (IOException e) {
                s.close();
            }
        }
        System.out.println("held " + held.size());
        System.out.flush();
        Thread.sleep(60_000);
        System.exit(0);
    }

    static void fuzz(String to, int count, long seed) throws Exception {
        Inet4Address dst = Ipv4.parse(to);
        Random r = new Random(seed);
        try (LinuxRawSocket s = LinuxRawSocket.open()) {
            s.configureForVrrp();
            for (int i = 0; i < count; i++) {
                s.send(malformed(r, dst), dst);
                if (i % 50 == 49) {
                    Thread.sleep(1);
                }
            }
        }
        System.out.println("sent " + count);
        System.exit(0);
    }

    private static byte[] malformed(Random r, Inet4Address dst) {
        int vrid = r.nextBoolean() ? 51 : 1 + r.nextInt(255);
        VrrpPacket p = new VrrpPacket(VrrpVersion.V3, vrid, 1 + r.nextInt(254), 10, List.of(Ipv4.parse("10.213.0.100")), null);
        // The sender's address is the client's; the checksum is computed against it.
        byte[] good = VrrpEncoder.encode(p, Ipv4.parse("10.213.0.1"), dst);
        return switch (r.nextInt(3)) {
            case 0 -> {
                byte[] b = new byte[r.nextInt(80)];
                r.nextBytes(b);
                yield b;
            }
            case 1 -> java.util.Arrays.copyOf(good, r.nextInt(good.length));
            default -> {
                byte[] b = good.clone();
                int at = r.nextInt(b.length);
                b[at] ^= (byte) (1 + r.nextInt(255));
                yield b;
            }
        };
    }
}

package io.bulwark.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain-socket HTTP/1.1 server on loopback port 0 for tests: one virtual thread per connection, keep-alive
 * until the peer closes, every request head recorded, connections counted. What it answers is up to a
 * {@link Handler}; {@link Exchange} has the common answers (status and body, streamed bytes, hang, reset,
 * raw bytes).
 */
public final class TestBackend implements AutoCloseable {
    /** Answers one request. Not consuming the body is fine: the backend skips what is left. */
    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws IOException;
    }

    private final ServerSocket server;
    private final Handler handler;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Queue<HttpHead> requests = new ConcurrentLinkedQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private TestBackend(Handler handler) throws IOException {
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.handler = handler;
        this.acceptor = Thread.ofVirtual().name("backend-accept-" + server.getLocalPort()).start(this::acceptLoop);
    }

    /** Starts a backend answering every request with {@code handler}. */
    public static TestBackend start(Handler handler) throws IOException {
        return new TestBackend(handler);
    }

    /** Answers 200 with a body naming the request, e.g. {@code GET /x}. */
    public static TestBackend ok() throws IOException {
        return start(ex -> ex.respond(200, ex.request().method() + " " + ex.request().uri()));
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.get();
    }

    /** Connections currently open (accepted and not yet closed by either side). */
    public int openConnections() {
        return sockets.size();
    }

    /** Every request head received so far, in order of arrival. */
    public List<HttpHead> requests() {
        return List.copyOf(requests);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                sockets.add(s);
                Thread.ofVirtual().name("backend-conn-" + server.getLocalPort()).start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            while (!s.isClosed()) {
                HttpHead head = HttpHead.read(in);
                if (head == null) {
                    return;
                }
                requests.add(head);
                Exchange ex = new Exchange(s, head, in, out);
                handler.handle(ex);
                if (s.isClosed() || ex.closeAfter) {
                    return;
                }
                out.flush();
                ex.body().transferTo(OutputStream.nullOutputStream());
                if ("close".equalsIgnoreCase(head.get("connection"))) {
                    return;
                }
            }
        } catch (IOException e) {
            // The peer went away; nothing to report from a test backend.
        } finally {
            sockets.remove(s);
        }
    }

    /** Closes the listening socket and every open connection. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }

    /** One request on a connection and the means to answer it. */
    public static final class Exchange {
        private final Socket socket;
        private final HttpHead request;
        private final InputStream in;
        private final InputStream body;
        private final OutputStream out;
        private boolean closeAfter;

        Exchange(Socket socket, HttpHead request, InputStream in, OutputStream out) {
            this.socket = socket;
            this.request = request;
            this.in = in;
            this.body = request.body(in);
            this.out = out;
        }

        public HttpHead request() {
            return request;
        }

        /** The request body, framed as the request says. */
        public InputStream body() {
            return body;
        }

        public OutputStream out() {
            return out;
        }

        /** The connection's input past the head, unframed (for protocols after a 101). */
        public InputStream rawIn() {
            return in;
        }

        /** After this exchange the backend closes the connection instead of reading another request. */
        public void closeAfter() {
            closeAfter = true;
        }

        public Socket socket() {
            return socket;
        }

        /** Reads the whole body into memory (small bodies only). */
        public String bodyText() throws IOException {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }

        /** Answers with a Content-Length body; extra headers as {@code "Name: value"}. */
        public void respond(int status, String text, String... headers) throws IOException {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            body.transferTo(OutputStream.nullOutputStream());
            StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
            for (String h : headers) {
                sb.append(h).append("\r\n");
            }
            sb.append("Content-Length: ").append(b.length).append("\r\n\r\n");
            out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(b);
            out.flush();
        }

        /** Writes bytes exactly as given (a whole response, or a broken one); the connection then closes. */
        public void raw(String bytes) throws IOException {
            out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            closeAfter = true;
        }

        /** Writes bytes exactly as given and keeps the connection for the next request. */
        public void rawKeepOpen(String bytes) throws IOException {
            out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Answers 200 with {@code length} generated bytes; returns their digest. */
        public Bytes.Digest stream(long length, long seed) throws IOException {
            body.transferTo(OutputStream.nullOutputStream());
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return Bytes.generate(out, length, seed);
        }

        /** Never answers; returns when the peer closes the connection. */
        public void hang() throws IOException {
            closeAfter = true;
            try {
                while (socket.getInputStream().read() >= 0) {
                    // discard
                }
            } catch (SocketException e) {
                // closed under us
            }
        }

        /** Closes with a TCP RST instead of a FIN, without answering. */
        public void reset() throws IOException {
            closeAfter = true;
            socket.setSoLinger(true, 0);
            socket.close();
        }
    }
}

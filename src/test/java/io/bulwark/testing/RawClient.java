package io.bulwark.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A client that writes requests as raw bytes and reads responses off the socket; for framing tests. */
public final class RawClient implements AutoCloseable {
    /** A response read off the wire; the body is held in memory. */
    public record Response(HttpHead head, byte[] body) {
        public int status() {
            return head.status();
        }

        public String header(String name) {
            return head.get(name);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawClient(InetSocketAddress address) throws IOException {
        this.socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public RawClient send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return this;
    }

    public OutputStream out() {
        return out;
    }

    public InputStream in() {
        return in;
    }

    /** Reads one response head, for streaming the body yourself. */
    public HttpHead readHead() throws IOException {
        return HttpHead.read(in);
    }

    /** Reads one response head as the bytes that came, through the blank line (ISO-8859-1). */
    public String readRawHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.length() + " bytes of a head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Reads one whole response; {@code head} says whether it answers a HEAD request (no body). */
    public Response read(boolean head) throws IOException {
        HttpHead h = HttpHead.read(in);
        if (h == null) {
            throw new IOException("connection closed before a response");
        }
        int status = h.status();
        if (head || status < 200 || status == 204 || status == 304) {
            return new Response(h, new byte[0]);
        }
        return new Response(h, h.body(in).readAllBytes());
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** Sends a request and reads its response. */
    public Response exchange(String raw) throws IOException {
        return send(raw).read();
    }

    /** Whether the peer closes the connection (EOF or reset) within the socket timeout, reading nothing. */
    public boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    public void timeoutMillis(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

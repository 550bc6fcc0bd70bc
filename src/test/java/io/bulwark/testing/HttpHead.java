package io.bulwark.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request or response head as read off a socket: the start line and the header fields in order, names as
 * sent. Parsing is deliberately minimal and trusting: it is for test peers, not for the gateway.
 */
public record HttpHead(String startLine, List<Map.Entry<String, String>> fields) {
    /** Reads up to and including the blank line; {@code null} on a clean EOF before any byte. */
    public static HttpHead read(InputStream in) throws IOException {
        String start = line(in, true);
        if (start == null) {
            return null;
        }
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        String l;
        while (!(l = line(in, false)).isEmpty()) {
            int colon = l.indexOf(':');
            fields.add(Map.entry(l.substring(0, colon), l.substring(colon + 1).trim()));
        }
        return new HttpHead(start, List.copyOf(fields));
    }

    private static String line(InputStream in, boolean eofOk) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                if (eofOk && b.size() == 0) {
                    return null;
                }
                throw new EOFException("EOF inside a head after '" + b.toString(StandardCharsets.ISO_8859_1) + "'");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** First value of the field, case-insensitively, or {@code null}. */
    public String get(String name) {
        for (Map.Entry<String, String> f : fields) {
            if (f.getKey().equalsIgnoreCase(name)) {
                return f.getValue();
            }
        }
        return null;
    }

    /** Every value of the field, case-insensitively, in order. */
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> f : fields) {
            if (f.getKey().equalsIgnoreCase(name)) {
                values.add(f.getValue());
            }
        }
        return values;
    }

    public boolean has(String name) {
        return get(name) != null;
    }

    /** The method of a request head. */
    public String method() {
        return startLine.substring(0, startLine.indexOf(' '));
    }

    /** The target of a request head. */
    public String uri() {
        return startLine.split(" ")[1];
    }

    /** The status of a response head. */
    public int status() {
        return Integer.parseInt(startLine.split(" ")[1]);
    }

    public boolean chunked() {
        String te = get("transfer-encoding");
        return te != null && te.toLowerCase(Locale.ROOT).endsWith("chunked");
    }

    /** Content-Length, or -1 when absent. */
    public long contentLength() {
        String cl = get("content-length");
        return cl == null ? -1 : Long.parseLong(cl.trim());
    }

    /** The body of this message as a stream that ends where the framing says (close-delimited if neither). */
    public InputStream body(InputStream in) {
        if (chunked()) {
            return new ChunkedInputStream(in);
        }
        long length = contentLength();
        if (length >= 0) {
            return new BoundedInputStream(in, length);
        }
        // A request without framing has no body; a response reads until the connection closes.
        return startLine.startsWith("HTTP/") ? in : InputStream.nullInputStream();
    }
}

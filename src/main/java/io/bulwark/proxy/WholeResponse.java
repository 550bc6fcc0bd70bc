package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * A final HTTP/1.1 response with a Content-Length or chunked body whose head arrived whole, kept as the
 * server's bytes with as much of the body as came in the same read; the rest follows as {@link RawBody}
 * parts. The common case needs no header map: the client gets the same bytes with the hop-by-hop lines cut
 * and Via extended, and a chunked body keeps its chunks (a {@link ChunkScanner} finds where it ends).
 * {@link #parse} takes only heads it understands completely; anything else (HTTP/1.0, a body delimited by
 * the close, Connection naming other fields, a byte out of place) is left to Netty's decoder, so every odd
 * case keeps one, tested, path.
 */
final class WholeResponse extends RawMessage {
    /** Heads longer than this go the slow way, where Netty's limits and errors apply. */
    static final int MAX_HEAD = 8192;
    private static final byte[] VERSION = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] THIS_HOP = "1.1 bulwark".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VIA_LINE = "via: 1.1 bulwark\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE_LINE = "connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE_LINE = "connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "chunked".getBytes(StandardCharsets.US_ASCII);

    private final int code;
    private final boolean serverKeepsAlive;
    // Offsets in the head where each header line starts; the last entry is where the blank line starts.
    private final int[] lineStarts;
    private final int lineCount;
    private final long dropped;
    // The last Via line, and where its value ends (before trailing whitespace and CRLF); -1 without one.
    private final int viaLine;
    private final int viaValueEnd;
    private final boolean dated;

    private WholeResponse(ByteBuf bytes, int code, int headLength, long contentLength, ChunkScanner chunks,
            boolean serverKeepsAlive, int[] lineStarts, int lineCount, long dropped, int viaLine, int viaValueEnd,
            boolean dated) {
        super(bytes, headLength, contentLength, chunks);
        this.code = code;
        this.serverKeepsAlive = serverKeepsAlive;
        this.lineStarts = lineStarts;
        this.lineCount = lineCount;
        this.dropped = dropped;
        this.viaLine = viaLine;
        this.viaValueEnd = viaValueEnd;
        this.dated = dated;
    }

    int code() {
        return code;
    }

    /** Whether the server's connection may carry the next request. */
    boolean serverKeepsAlive() {
        return serverKeepsAlive;
    }

    private static final byte CONTENT_LENGTH = 1;
    private static final byte TRANSFER_ENCODING = 2;
    private static final byte CONNECTION = 3;
    private static final byte VIA = 4;
    private static final byte DATE = 5;
    private static final HeadLines.Names NAMES = new HeadLines.Names("content-length", "transfer-encoding",
            "connection", "via", "date", "keep-alive", "proxy-connection", "te", "upgrade");
    /**
     * Classes from here on are hop-by-hop fields that are simply cut. Trailer is not one (RFC 9110 §6.6.2):
     * it passes with the trailer fields, which a chunked body taken here always relays.
     */
    private static final byte HOP_BY_HOP = 6;

    /**
     * Takes a response's head, and what is here of its body, from {@code in}'s reader index when it is one
     * this class handles, advancing past them; otherwise returns {@code null} and leaves {@code in}
     * untouched. {@code lines} is scratch space; {@code chunks} follows a chunked body from here on, and is
     * {@code null} when the client cannot take chunks (HTTP/1.0).
     */
    static WholeResponse parse(ByteBuf in, HeadLines lines, ChunkScanner chunks) {
        if (in.readableBytes() < VERSION.length + 8 || in.getByte(in.readerIndex()) != 'H') {
            return null;
        }
        int limit = lines.load(in, MAX_HEAD);
        byte[] b = lines.bytes();
        for (int i = 0; i < VERSION.length; i++) {
            if (b[i] != VERSION[i]) {
                return null;
            }
        }
        int p = VERSION.length;
        int code = digit(b[p]) * 100 + digit(b[p + 1]) * 10 + digit(b[p + 2]);
        // 1xx and 101 change what follows; 204 and 304 have no body whatever their headers say; a 205 goes
        // to the client without one (Netty's encoder makes it Content-Length: 0, RFC 9110 §15.3.6).
        if (code < 200 || code > 599 || code == 204 || code == 205 || code == 304 || b[p + 3] != ' ') {
            return null;
        }
        p = HeadLines.endOfLine(b, p + 4, limit);
        if (p < 0 || !lines.parse(p, limit, NAMES)) {
            return null;
        }
        long dropped = 0;
        int viaLine = -1;
        int viaValueEnd = -1;
        long contentLength = -1;
        int lengthLine = -1;
        boolean chunked = false;
        boolean close = false;
        boolean dated = false;
        for (int i = 0; i < lines.count(); i++) {
            byte name = lines.name(i);
            int valueStart = lines.valueStart(i);
            int valueEnd = lines.valueEnd(i);
            if (name == CONTENT_LENGTH) {
                // A repeat of the same value is one length (RFC 9110 §8.6, as nginx and HAProxy read it), and
                // the client gets one line; one written otherwise, or a list, is Netty's to judge.
                long length = HeadLines.number(b, valueStart, valueEnd);
                if (length < 0 || lengthLine >= 0 && !HeadLines.sameValue(b, lines, lengthLine, i)) {
                    return null;
                }
                if (lengthLine >= 0) {
                    dropped |= 1L << i;
                } else {
                    lengthLine = i;
                }
                contentLength = length;
            } else if (name == TRANSFER_ENCODING) {
                // Only a lone "chunked": other codings, or a list, are for Netty to judge.
                if (chunked || chunks == null
                        || !HeadLines.equalsLower(b, valueStart, valueEnd - valueStart, CHUNKED)) {
                    return null;
                }
                chunked = true;
            } else if (name == CONNECTION) {
                int tokens = HeadLines.connectionTokens(b, valueStart, valueEnd);
                if (tokens < 0) {
                    return null;
                }
                close |= tokens == HeadLines.CLOSE;
                dropped |= 1L << i;
            } else if (name == VIA) {
                if (valueEnd == valueStart) {
                    dropped |= 1L << i; // an empty Via lists no hop: this one replaces it
                } else {
                    viaLine = i;
                    viaValueEnd = valueEnd;
                }
            } else if (name == DATE) {
                dated = true;
            } else if (name >= HOP_BY_HOP) {
                dropped |= 1L << i;
            }
        }
        int headLength = lines.end();
        // Neither (delimited by the close) or both (RFC 9112 §6.3: a sign of smuggling) go Netty's way.
        if (chunked == contentLength >= 0) {
            return null;
        }
        int bodyHere = bodyHere(in, headLength, contentLength, chunks);
        if (bodyHere == ChunkScanner.ERROR) {
            return null; // Netty's decoder fails it before anything reaches the client
        }
        int[] lineStarts = lines.starts();
        ByteBuf bytes = in.readRetainedSlice(headLength + bodyHere);
        return new WholeResponse(bytes, code, headLength, contentLength, chunks, !close, lineStarts,
                lines.count(), dropped, viaLine, viaValueEnd, dated);
    }

    /**
     * The response as the client gets it: the server's status line and headers less the hop-by-hop ones,
     * this hop added to Via, a Date when the server sent none, Connection as the client's connection needs
     * it, then what is here of the body. Where that is large it is appended as a slice of the server's bytes
     * rather than copied.
     *
     * @param dateLine the Date field line to add, as {@link HttpDate#line()} has it
     */
    ByteBuf forClient(ByteBufAllocator alloc, boolean keepAlive, boolean http10Client, byte[] dateLine) {
        ByteBuf src = content();
        int base = src.readerIndex();
        int body = bodyHere();
        byte[] connection = !keepAlive ? CLOSE_LINE : http10Client ? KEEP_ALIVE_LINE : null;
        int size = headLength + VIA_LINE.length + (connection == null ? 0 : connection.length)
                + (dated ? 0 : dateLine.length);
        ByteBuf out = alloc.directBuffer(size + copiedBody(body));
        HeadLines.copyFields(out, src, 0, lineStarts, lineCount, dropped, viaLine, viaValueEnd, THIS_HOP, -1, 0,
                null);
        if (viaLine < 0) {
            out.writeBytes(VIA_LINE);
        }
        if (!dated) {
            out.writeBytes(dateLine);
        }
        if (connection != null) {
            out.writeBytes(connection);
        }
        out.writeShort(HeadLines.CRLF);
        return thenBody(alloc, out, src, base + headLength, body);
    }

    private static int digit(byte c) {
        int d = c - '0';
        return d >= 0 && d <= 9 ? d : -1000;
    }
}

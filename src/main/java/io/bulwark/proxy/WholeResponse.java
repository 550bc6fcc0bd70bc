package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;

/**
 * A final HTTP/1.1 response that arrived whole (head and its Content-Length body in one read), kept as the
 * server's bytes. The common case needs no header map: the client gets the same bytes with the hop-by-hop
 * lines cut and Via extended. {@link #parse} takes only heads it understands completely; anything else
 * (chunked, HTTP/1.0, Connection naming other fields, a byte out of place) is left to Netty's decoder, so
 * every odd case keeps one, tested, path.
 */
final class WholeResponse extends DefaultByteBufHolder {
    /** Heads longer than this go the slow way, where Netty's limits and errors apply. */
    static final int MAX_HEAD = 8192;
    /** Bodies up to this size are copied behind the head so the response leaves in one buffer. */
    private static final int COPY_BODY_UP_TO = 8192;
    private static final int MAX_LINES = 64;
    private static final byte[] VERSION = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VIA_HOP = ", 1.1 bulwark\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VIA_LINE = "via: 1.1 bulwark\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE_LINE = "connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE_LINE = "connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);

    // forEachByte checks bounds once per call rather than once per byte.
    private static final ByteProcessor TOKEN = HeadScanner::isTokenChar;
    private static final ByteProcessor FIELD_BYTE = b -> b >= 0x20 && b != 0x7f || b < 0 || b == '\t';

    private final int code;
    private final int headLength;
    private final boolean serverKeepsAlive;
    // Offsets in the head where each header line starts; the last entry is where the blank line starts.
    private final int[] lineStarts;
    private final int lineCount;
    private final long dropped;
    // The last Via line, and where its value ends (before trailing whitespace and CRLF); -1 without one.
    private final int viaLine;
    private final int viaValueEnd;

    private WholeResponse(ByteBuf bytes, int code, int headLength, boolean serverKeepsAlive, int[] lineStarts,
            int lineCount, long dropped, int viaLine, int viaValueEnd) {
        super(bytes);
        this.code = code;
        this.headLength = headLength;
        this.serverKeepsAlive = serverKeepsAlive;
        this.lineStarts = lineStarts;
        this.lineCount = lineCount;
        this.dropped = dropped;
        this.viaLine = viaLine;
        this.viaValueEnd = viaValueEnd;
    }

    int code() {
        return code;
    }

    /** Whether the server's connection may carry the next request. */
    boolean serverKeepsAlive() {
        return serverKeepsAlive;
    }

    int contentLength() {
        return content().readableBytes() - headLength;
    }

    /**
     * Takes a whole response from {@code in}'s reader index when it is one this class handles, advancing
     * past it; otherwise returns {@code null} and leaves {@code in} untouched.
     */
    static WholeResponse parse(ByteBuf in) {
        int start = in.readerIndex();
        int limit = Math.min(in.writerIndex(), start + MAX_HEAD);
        if (limit - start < VERSION.length + 8) {
            return null;
        }
        for (int i = 0; i < VERSION.length; i++) {
            if (in.getByte(start + i) != VERSION[i]) {
                return null;
            }
        }
        int p = start + VERSION.length;
        int code = digit(in, p) * 100 + digit(in, p + 1) * 10 + digit(in, p + 2);
        // 1xx and 101 change what follows; 204 and 304 have no body whatever their headers say.
        if (code < 200 || code > 599 || code == 204 || code == 304 || in.getByte(p + 3) != ' ') {
            return null;
        }
        p = endOfLine(in, p + 4, limit);
        if (p < 0) {
            return null;
        }
        int[] lineStarts = new int[16];
        int lines = 0;
        long dropped = 0;
        int viaLine = -1;
        int viaValueEnd = -1;
        long contentLength = -1;
        boolean close = false;
        while (true) {
            if (p + 1 >= limit) {
                return null;
            }
            if (lines == lineStarts.length) {
                if (lines == MAX_LINES) {
                    return null;
                }
                lineStarts = java.util.Arrays.copyOf(lineStarts, lines * 2);
            }
            lineStarts[lines] = p - start;
            byte b = in.getByte(p);
            if (b == '\r') {
                if (in.getByte(p + 1) != '\n') {
                    return null;
                }
                p += 2;
                break;
            }
            int nameStart = p;
            p = in.forEachByte(p, limit - p, TOKEN);
            if (p <= nameStart || in.getByte(p) != ':') {
                return null;
            }
            int name = Names.of(in, nameStart, p - nameStart);
            p++;
            while (p < limit && (in.getByte(p) == ' ' || in.getByte(p) == '\t')) {
                p++;
            }
            int valueStart = p;
            int lineEnd = endOfLine(in, p, limit);
            if (lineEnd < 0) {
                return null;
            }
            int valueEnd = lineEnd - 2;
            while (valueEnd > valueStart && (in.getByte(valueEnd - 1) == ' ' || in.getByte(valueEnd - 1) == '\t')) {
                valueEnd--;
            }
            switch (name) {
                case Names.CONTENT_LENGTH -> {
                    if (contentLength >= 0) {
                        return null;
                    }
                    contentLength = number(in, valueStart, valueEnd);
                    if (contentLength < 0) {
                        return null;
                    }
                }
                case Names.CONNECTION -> {
                    int tokens = Names.connectionTokens(in, valueStart, valueEnd);
                    if (tokens < 0) {
                        return null;
                    }
                    close |= tokens == Names.CLOSE;
                    dropped |= 1L << lines;
                }
                case Names.HOP_BY_HOP -> dropped |= 1L << lines;
                case Names.VIA -> {
                    if (valueEnd == valueStart) {
                        dropped |= 1L << lines; // an empty Via lists no hop: this one replaces it
                    } else {
                        viaLine = lines;
                        viaValueEnd = valueEnd - start;
                    }
                }
                case Names.TRANSFER_ENCODING -> {
                    return null;
                }
                default -> { }
            }
            lines++;
            p = lineEnd;
        }
        int headLength = p - start;
        if (contentLength < 0 || in.writerIndex() - p < contentLength) {
            return null;
        }
        ByteBuf bytes = in.readRetainedSlice(headLength + (int) contentLength);
        return new WholeResponse(bytes, code, headLength, !close, lineStarts, lines, dropped, viaLine, viaValueEnd);
    }

    /**
     * The response as the client gets it: the server's status line and headers less the hop-by-hop ones,
     * this hop added to Via, Connection as the client's connection needs it, then the body. Where the body
     * is large it is appended as a slice of the server's bytes rather than copied.
     */
    ByteBuf forClient(ByteBufAllocator alloc, boolean keepAlive, boolean http10Client) {
        ByteBuf src = content();
        int base = src.readerIndex();
        int body = contentLength();
        byte[] connection = !keepAlive ? CLOSE_LINE : http10Client ? KEEP_ALIVE_LINE : null;
        int size = headLength + VIA_LINE.length + (connection == null ? 0 : connection.length);
        boolean copyBody = body <= COPY_BODY_UP_TO;
        ByteBuf out = alloc.directBuffer(size + (copyBody ? body : 0));
        out.writeBytes(src, base, lineStarts[0]);
        for (int i = 0; i < lineCount; i++) {
            if ((dropped & (1L << i)) != 0) {
                continue;
            }
            int from = lineStarts[i];
            if (i == viaLine) {
                out.writeBytes(src, base + from, viaValueEnd - from);
                out.writeBytes(VIA_HOP);
            } else {
                out.writeBytes(src, base + from, lineStarts[i + 1] - from);
            }
        }
        if (viaLine < 0) {
            out.writeBytes(VIA_LINE);
        }
        if (connection != null) {
            out.writeBytes(connection);
        }
        out.writeShort(('\r' << 8) | '\n');
        if (copyBody) {
            out.writeBytes(src, base + headLength, body);
            return out;
        }
        return alloc.compositeDirectBuffer(2).addComponents(true, out,
                src.retainedSlice(base + headLength, body));
    }

    private static int digit(ByteBuf in, int at) {
        int d = in.getByte(at) - '0';
        return d >= 0 && d <= 9 ? d : -1000;
    }

    /**
     * Where the line from {@code p} ends (just past its CRLF), or -1 when the CRLF is not within
     * {@code limit} or a byte is not allowed in a field value (or a reason phrase): only HTAB, SP, VCHAR
     * and obs-text are.
     */
    private static int endOfLine(ByteBuf in, int p, int limit) {
        int cr = p < limit ? in.forEachByte(p, limit - p, FIELD_BYTE) : -1;
        return cr >= 0 && cr + 1 < limit && in.getByte(cr) == '\r' && in.getByte(cr + 1) == '\n' ? cr + 2 : -1;
    }

    /** A Content-Length value of plain digits (at most nine), or -1. */
    private static long number(ByteBuf in, int from, int to) {
        if (from == to || to - from > 9) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = in.getByte(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    /** The header names this class acts on, matched without regard to case. */
    private static final class Names {
        static final int OTHER = 0;
        static final int CONTENT_LENGTH = 1;
        static final int TRANSFER_ENCODING = 2;
        static final int CONNECTION = 3;
        static final int HOP_BY_HOP = 4;
        static final int VIA = 5;
        static final int CLOSE = 1;

        private static final byte[][] HOP = bytes("keep-alive", "proxy-connection", "te", "trailer", "upgrade");
        private static final byte[] CL = bytes("content-length")[0];
        private static final byte[] TE = bytes("transfer-encoding")[0];
        private static final byte[] CONN = bytes("connection")[0];
        private static final byte[] VIA_NAME = bytes("via")[0];
        private static final byte[] CLOSE_TOKEN = bytes("close")[0];
        private static final byte[] KEEP_ALIVE_TOKEN = bytes("keep-alive")[0];

        static int of(ByteBuf in, int from, int length) {
            switch (length) {
                case 3 -> {
                    return is(in, from, length, VIA_NAME) ? VIA : OTHER;
                }
                case 10 -> {
                    return is(in, from, length, CONN) ? CONNECTION : is(in, from, length, HOP[0]) ? HOP_BY_HOP : OTHER;
                }
                case 14 -> {
                    return is(in, from, length, CL) ? CONTENT_LENGTH : OTHER;
                }
                case 17 -> {
                    return is(in, from, length, TE) ? TRANSFER_ENCODING : OTHER;
                }
                case 2, 7, 16 -> {
                    for (byte[] h : HOP) {
                        if (is(in, from, length, h)) {
                            return HOP_BY_HOP;
                        }
                    }
                    return OTHER;
                }
                default -> {
                    return OTHER;
                }
            }
        }

        /**
         * Reads a Connection value: {@link #CLOSE} if it lists close, 0 if only keep-alive, -1 when it names
         * anything else (a field to remove, or Upgrade), which the slow path handles.
         */
        static int connectionTokens(ByteBuf in, int from, int to) {
            int result = 0;
            int p = from;
            while (p <= to) {
                int comma = p;
                while (comma < to && in.getByte(comma) != ',') {
                    comma++;
                }
                int s = p;
                int e = comma;
                while (s < e && (in.getByte(s) == ' ' || in.getByte(s) == '\t')) {
                    s++;
                }
                while (e > s && (in.getByte(e - 1) == ' ' || in.getByte(e - 1) == '\t')) {
                    e--;
                }
                if (is(in, s, e - s, CLOSE_TOKEN)) {
                    result = CLOSE;
                } else if (e > s && !is(in, s, e - s, KEEP_ALIVE_TOKEN)) {
                    return -1;
                }
                p = comma + 1;
            }
            return result;
        }

        /** Whether the bytes are {@code lower}, ignoring ASCII case. */
        private static boolean is(ByteBuf in, int from, int length, byte[] lower) {
            if (length != lower.length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if ((in.getByte(from + i) | 0x20) != lower[i]) {
                    return false;
                }
            }
            return true;
        }

        private static byte[][] bytes(String... names) {
            byte[][] out = new byte[names.length][];
            for (int i = 0; i < names.length; i++) {
                out[i] = names[i].getBytes(StandardCharsets.US_ASCII);
            }
            return out;
        }
    }
}

package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP/1.1 request, without a body or with a Content-Length or chunked one, whose head arrived whole, kept
 * as the client's bytes with as much of the body as came in the same read; the rest follows as
 * {@link RawBody} parts (a {@link ChunkScanner} finds where a chunked body ends). The server gets the same
 * bytes with the hop-by-hop lines cut and the forwarding fields added, with no header map built on the way.
 * {@link #parse} takes only heads it understands completely (a known method, a target in origin form, one
 * Host, no Expect but one 100-continue, no coding but a lone chunked, Connection naming nothing but close or
 * keep-alive, Content-Lengths that agree); every other request goes to Netty's decoder and the header-map
 * path, so each odd case keeps the one tested behaviour.
 */
final class WholeRequest extends RawMessage {
    private static final HttpMethod[] METHODS = {
        HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS,
        HttpMethod.PATCH, HttpMethod.TRACE,
    };
    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];
    private static final byte[] VERSION_LINE_END = HeadLines.ascii(" HTTP/1.1\r\n");

    private static final byte HOST = 1;
    private static final byte CONTENT_LENGTH = 2;
    private static final byte CONNECTION = 3;
    private static final byte VIA = 4;
    private static final byte X_FORWARDED_FOR = 5;
    private static final byte REFERER = 6;
    private static final byte USER_AGENT = 7;
    private static final byte IDEMPOTENCY_KEY = 8;
    private static final byte TRANSFER_ENCODING = 9;
    private static final byte EXPECT = 10;
    /** Classes from here on are cut: hop-by-hop fields, and forwarding fields this hop replaces. */
    private static final byte CUT = 11;
    private static final HeadLines.Names NAMES = new HeadLines.Names("host", "content-length", "connection", "via",
            "x-forwarded-for", "referer", "user-agent", "idempotency-key",
            "transfer-encoding", "expect",
            "keep-alive", "proxy-connection", "te", "upgrade", "x-forwarded-proto", "x-forwarded-host");

    private static final byte[] XFF_LINE = HeadLines.ascii("x-forwarded-for: ");
    private static final byte[] PROTO_AND_HOST = HeadLines.ascii("x-forwarded-proto: http\r\nx-forwarded-host: ");
    private static final byte[] THIS_HOP = HeadLines.ascii("1.1 bulwark");
    private static final byte[] VIA_LINE = HeadLines.ascii("via: 1.1 bulwark\r\n");
    private static final byte[] CHUNKED = HeadLines.ascii("chunked");
    private static final byte[] CONTINUE = HeadLines.ascii("100-continue");

    static {
        for (int i = 0; i < METHODS.length; i++) {
            METHOD_BYTES[i] = HeadLines.ascii(METHODS[i].name());
        }
    }

    private final HttpMethod method;
    private final int uriStart;
    private final int uriEnd;
    private final boolean close;
    private final boolean idempotencyKey;
    // Offsets from the head's start: where each line starts (the last entry is the blank line).
    private final int[] lineStarts;
    private final long dropped;
    private final int hostLine;
    private final int[] valueStarts;
    private final int[] valueEnds;
    private final int xffLine;
    private final int viaLine;
    private final int refererLine;
    private final int userAgentLine;

    private WholeRequest(ByteBuf bytes, int headLength, long contentLength, ChunkScanner chunks, HttpMethod method,
            int uriStart, int uriEnd, boolean close, boolean idempotencyKey, int[] lineStarts, long dropped,
            int[] valueStarts, int[] valueEnds, int hostLine, int xffLine, int viaLine, int refererLine,
            int userAgentLine) {
        super(bytes, headLength, contentLength, chunks);
        this.method = method;
        this.uriStart = uriStart;
        this.uriEnd = uriEnd;
        this.close = close;
        this.idempotencyKey = idempotencyKey;
        this.lineStarts = lineStarts;
        this.dropped = dropped;
        this.valueStarts = valueStarts;
        this.valueEnds = valueEnds;
        this.hostLine = hostLine;
        this.xffLine = xffLine;
        this.viaLine = viaLine;
        this.refererLine = refererLine;
        this.userAgentLine = userAgentLine;
    }

    HttpMethod method() {
        return method;
    }

    String uri() {
        return text(uriStart, uriEnd);
    }

    String host() {
        return value(hostLine);
    }

    /** The first Referer, or {@code null}. */
    String referer() {
        return value(refererLine);
    }

    /** The first User-Agent, or {@code null}. */
    String userAgent() {
        return value(userAgentLine);
    }

    /** Whether the client asked to close the connection after this request. */
    boolean close() {
        return close;
    }

    /** RFC 9110 §9.2.2's idempotent methods, or a request carrying an Idempotency-Key. */
    boolean idempotent() {
        return idempotencyKey || method != HttpMethod.POST && method != HttpMethod.PATCH;
    }

    private String value(int line) {
        return line < 0 ? null : text(valueStarts[line], valueEnds[line]);
    }

    private String text(int from, int to) {
        return content().toString(content().readerIndex() + from, to - from, StandardCharsets.ISO_8859_1);
    }

    /**
     * Takes a request's whole head, and what is here of its body, from {@code in}'s reader index when it is
     * one this class handles, advancing past them; otherwise returns {@code null} and leaves {@code in}
     * untouched. Heads beyond the decoder's limits are left to it, so its 414 and 431 still apply. {@code chunks}
     * follows a chunked body from here on.
     */
    static WholeRequest parse(ByteBuf in, HeadLines lines, int maxInitialLine, int maxHeaderSize,
            ChunkScanner chunks) {
        if (!in.isReadable() || in.getByte(in.readerIndex()) < 'A') {
            return null;
        }
        int available = lines.load(in, maxInitialLine + maxHeaderSize);
        byte[] b = lines.bytes();
        int methodEnd = 0;
        while (methodEnd < Math.min(available, 8) && b[methodEnd] != ' ') {
            methodEnd++;
        }
        HttpMethod method = method(b, methodEnd);
        if (method == null) {
            return null;
        }
        int uriStart = methodEnd + 1;
        int lineLimit = Math.min(available, maxInitialLine);
        // The request target: visible ASCII only (anything else is for Netty to judge).
        int uriEnd = uriStart;
        while (uriEnd < lineLimit && b[uriEnd] > ' ' && b[uriEnd] < 0x7f) {
            uriEnd++;
        }
        // Origin form only: the absolute and asterisk forms are rare, and rewritten on the header-map path.
        if (uriEnd == uriStart || b[uriStart] != '/' || uriEnd + VERSION_LINE_END.length > lineLimit) {
            return null;
        }
        for (int i = 0; i < VERSION_LINE_END.length; i++) {
            if (b[uriEnd + i] != VERSION_LINE_END[i]) {
                return null;
            }
        }
        int fieldsStart = uriEnd + VERSION_LINE_END.length;
        int limit = Math.min(available, fieldsStart + maxHeaderSize);
        if (!lines.parse(fieldsStart, limit, NAMES)) {
            return null;
        }
        long dropped = 0;
        int hostLine = -1;
        int xffLine = -1;
        int viaLine = -1;
        int refererLine = -1;
        int userAgentLine = -1;
        boolean close = false;
        boolean idempotencyKey = false;
        long contentLength = -1;
        int lengthLine = -1;
        boolean chunked = false;
        boolean expect = false;
        int n = lines.count();
        int[] valueStarts = new int[n];
        int[] valueEnds = new int[n];
        for (int i = 0; i < n; i++) {
            byte name = lines.name(i);
            int vs = lines.valueStart(i);
            int ve = lines.valueEnd(i);
            valueStarts[i] = vs;
            valueEnds[i] = ve;
            if (name == HOST) {
                if (hostLine >= 0) {
                    return null;
                }
                hostLine = i;
            } else if (name == CONTENT_LENGTH) {
                // A repeat of the same value is one length (RFC 9110 §8.6), and the server gets one line; one
                // written otherwise ("03" after "3"), or a list, is Netty's to judge, as it compares the text.
                long length = HeadLines.number(b, vs, ve);
                if (length < 0 || lengthLine >= 0 && !HeadLines.sameValue(b, lines, lengthLine, i)) {
                    return null;
                }
                if (lengthLine >= 0) {
                    dropped |= 1L << i;
                } else {
                    lengthLine = i;
                }
                contentLength = length;
            } else if (name == CONNECTION) {
                int tokens = HeadLines.connectionTokens(b, vs, ve);
                if (tokens < 0) {
                    return null;
                }
                close |= tokens == HeadLines.CLOSE;
                dropped |= 1L << i;
            } else if (name == VIA || name == X_FORWARDED_FOR) {
                if (ve == vs) {
                    dropped |= 1L << i; // an empty list: this hop's line replaces it
                } else if (name == VIA) {
                    viaLine = i;
                } else {
                    xffLine = i;
                }
            } else if (name == REFERER) {
                refererLine = refererLine < 0 ? i : refererLine;
            } else if (name == USER_AGENT) {
                userAgentLine = userAgentLine < 0 ? i : userAgentLine;
            } else if (name == IDEMPOTENCY_KEY) {
                idempotencyKey = true;
            } else if (name == TRANSFER_ENCODING) {
                // Only a lone "chunked": other codings, or a list, are for Netty to refuse.
                if (chunked || !HeadLines.equalsLower(b, vs, ve - vs, CHUNKED)) {
                    return null;
                }
                chunked = true;
            } else if (name == EXPECT) {
                // Passed on for the server to answer (its 100 is relayed, and the body follows as parts);
                // any other expectation, or a repeated one, is for Netty's path.
                if (expect || !HeadLines.equalsLower(b, vs, ve - vs, CONTINUE)) {
                    return null;
                }
                expect = true;
            } else if (name >= CUT) {
                dropped |= 1L << i;
            }
        }
        // Both framings at once (RFC 9112 §6.3: a sign of smuggling) is Netty's to refuse.
        if (hostLine < 0 || chunked && contentLength >= 0) {
            return null;
        }
        int[] lineStarts = lines.starts();
        int headLength = lines.end();
        contentLength = chunked ? -1 : Math.max(0, contentLength);
        int bodyHere = bodyHere(in, headLength, contentLength, chunks);
        if (bodyHere == ChunkScanner.ERROR) {
            return null; // Netty's decoder refuses it before anything reaches the server
        }
        ByteBuf bytes = in.readRetainedSlice(headLength + bodyHere);
        return new WholeRequest(bytes, headLength, contentLength, chunks, method, uriStart, uriEnd, close,
                idempotencyKey, lineStarts, dropped, valueStarts, valueEnds, hostLine, xffLine, viaLine, refererLine,
                userAgentLine);
    }

    /**
     * The request as the server gets it: the client's request line and fields less the hop-by-hop ones,
     * {@code clientIp} added to X-Forwarded-For, X-Forwarded-Proto and -Host set, this hop added to Via,
     * then what is here of the body.
     *
     * @param target the request target to send instead of the client's (its path normalised, see
     *     {@link RequestTarget}), or {@code null} to send the client's
     */
    ByteBuf forServer(ByteBufAllocator alloc, byte[] clientIp, String target) {
        ByteBuf src = content();
        int base = src.readerIndex();
        int hostLength = valueEnds[hostLine] - valueStarts[hostLine];
        int body = bodyHere();
        ByteBuf out = alloc.directBuffer(headLength + XFF_LINE.length + clientIp.length
                + PROTO_AND_HOST.length + hostLength + VIA_LINE.length + 8 + copiedBody(body)
                + (target == null ? 0 : target.length()));
        int from = 0;
        if (target != null) {
            out.writeBytes(src, base, uriStart).writeCharSequence(target, StandardCharsets.US_ASCII);
            from = uriEnd;
        }
        HeadLines.copyFields(out, src, from, lineStarts, lineStarts.length - 1, dropped,
                xffLine, xffLine < 0 ? 0 : valueEnds[xffLine], clientIp,
                viaLine, viaLine < 0 ? 0 : valueEnds[viaLine], THIS_HOP);
        if (xffLine < 0) {
            out.writeBytes(XFF_LINE).writeBytes(clientIp).writeShort(HeadLines.CRLF);
        }
        out.writeBytes(PROTO_AND_HOST).writeBytes(src, base + valueStarts[hostLine], hostLength)
                .writeShort(HeadLines.CRLF);
        if (viaLine < 0) {
            out.writeBytes(VIA_LINE);
        }
        out.writeShort(HeadLines.CRLF);
        return thenBody(alloc, out, src, base + headLength, body);
    }

    /** The method spelled by {@code b[0, length)} among those this class takes, or {@code null}. */
    private static HttpMethod method(byte[] b, int length) {
        for (int m = 0; m < METHODS.length; m++) {
            byte[] name = METHOD_BYTES[m];
            if (name.length == length && java.util.Arrays.equals(b, 0, length, name, 0, length)) {
                return METHODS[m];
            }
        }
        return null;
    }
}

package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;
import java.util.List;

/**
 * Looks at the raw bytes of a message head for what Netty's decoder tolerates but RFC 9112 forbids: obs-fold
 * (a header line starting with SP or HT, §5.2) and any byte other than a token character in a field name,
 * which covers whitespace before the colon (§5.1). It only scans heads: after the blank line it waits until
 * told the message ended, so body bytes are never mistaken for header lines.
 */
final class HeadScanner implements ByteProcessor {
    private static final int BEFORE_START_LINE = 0;
    private static final int START_LINE = 1;
    private static final int LINE_START = 2;
    private static final int NAME = 3;
    private static final int VALUE = 4;
    private static final int BLANK_LINE_CR = 5;
    private static final int BODY = 6;
    private static final int OFF = 7;

    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    /**
     * Header maps for the decoders to fill: Netty's own name check is off because {@link #screen} has already
     * refused any head whose field names are not tokens, the same rule; values are still checked by Netty.
     * Trailers keep Netty's full checks: they arrive in the body, which this scanner does not read.
     */
    static final HttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory().withNameValidation(false);

    /** {@code config} with {@link #HEADERS} as its headers factory. */
    static HttpDecoderConfig namesScanned(HttpDecoderConfig config) {
        return config.setHeadersFactory(HEADERS);
    }

    private int state = BEFORE_START_LINE;
    /** Bytes past the buffer's reader index already scanned. */
    private int scanned;
    /** Netty's decoder put out a head and not yet the end of its body. */
    private boolean bodyDecoding;
    private String violation;
    private boolean reported;

    /**
     * The guard both strict decoders run before Netty's: returns a violation the first time one is found
     * (the caller emits its failed message), and discards the input then and ever after; {@code null} means
     * the bytes may be decoded. Once a message is refused the connection is finished, so nothing after it
     * is worth decoding.
     */
    String screen(ByteBuf in) {
        if (reported) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        String v = scan(in);
        if (v != null) {
            reported = true;
            in.skipBytes(in.readableBytes());
        }
        return v;
    }

    /**
     * Refuses the input as {@link #screen} does, for a fault found past the head (a chunked body that
     * broke in the head's own read); returns {@code why} for the caller's failed message.
     */
    String refuse(ByteBuf in, String why) {
        reported = true;
        in.skipBytes(in.readableBytes());
        return why;
    }

    /** Whether {@link #screen} refused the input; the decoder then produces nothing more. */
    boolean refused() {
        return reported;
    }

    /**
     * Bookkeeping after Netty decoded from {@code in}: {@code readBefore} was the reader index before, and
     * messages from {@code outBefore} on are new; a finished message restarts the head scan.
     */
    void decoded(ByteBuf in, int readBefore, List<Object> out, int outBefore) {
        consumed(in.readerIndex() - readBefore);
        for (int i = outBefore; i < out.size(); i++) {
            Object m = out.get(i);
            if (m instanceof LastHttpContent) {
                messageEnded();
                bodyDecoding = false;
            } else if (m instanceof HttpMessage) {
                bodyDecoding = true;
            }
        }
    }

    /** Whether a head Netty's decoder put out still has its body under way. */
    boolean bodyDecoding() {
        return bodyDecoding;
    }

    /**
     * Netty's decoder splits a field name: once a head of its went out, that is a trailer's name. One that
     * would frame the message fails the body's end, which Netty's decoder makes of what it throws; it would
     * drop the field, where bytes passing unchanged must refuse it (see {@link ChunkScanner}), and the two
     * paths answer alike.
     */
    void fieldName(byte[] name, int start, int length) {
        if (bodyDecoding && ChunkScanner.framingField(name, start, length)) {
            throw new CorruptedFrameException("a trailer field that would frame the message");
        }
    }

    /** Scans what arrived since the last call; returns the violation found, or {@code null}. */
    private String scan(ByteBuf in) {
        if (violation != null || state >= BODY) {
            return violation;
        }
        int from = in.readerIndex() + scanned;
        int to = in.writerIndex();
        // forEachByte reads without a bounds check per byte; it returns where process() said stop, or -1.
        int stoppedAt = from < to ? in.forEachByte(from, to - from, this) : -1;
        scanned = (stoppedAt < 0 ? to : stoppedAt + 1) - in.readerIndex();
        return violation;
    }

    /** One byte of the head; false once the head ended or broke a rule. */
    @Override
    public boolean process(byte value) {
        step(value & 0xff);
        return state < BODY && violation == null;
    }

    /** The decoder consumed {@code n} bytes. */
    private void consumed(int n) {
        scanned = Math.max(0, scanned - n);
    }

    /** The decoder finished a message: the next byte at its reader index starts a new head. */
    private void messageEnded() {
        if (state != OFF) {
            state = BEFORE_START_LINE;
            scanned = 0;
        }
    }

    /** Whether a field name may contain this byte (RFC 9110 §5.6.2 tchar). */
    static boolean isTokenChar(byte b) {
        return TCHAR[b & 0xff];
    }

    /** Whether nothing of the next message has been seen: the decoder has consumed none of it either. */
    boolean atMessageStart() {
        return state == BEFORE_START_LINE;
    }

    /** A whole message was taken from the buffer without the decoder: the next byte starts a new head. */
    void tookMessage() {
        messageEnded();
    }

    /** Whether some, but not all, of a head has been seen. */
    boolean inHead() {
        return state > BEFORE_START_LINE && state < BODY;
    }

    /** The connection left HTTP (after a 101): nothing more to scan. */
    void off() {
        state = OFF;
    }

    private void step(int b) {
        switch (state) {
            case BEFORE_START_LINE -> {
                // Netty skips control characters and whitespace before the start line; so do we.
                if (b > ' ' && b != 0x7f) {
                    state = START_LINE;
                }
            }
            case START_LINE -> {
                if (b == '\n') {
                    state = LINE_START;
                }
            }
            case LINE_START -> {
                if (b == ' ' || b == '\t') {
                    violation = "obs-fold (header line starting with whitespace)";
                } else if (b == '\r') {
                    state = BLANK_LINE_CR;
                } else if (b == '\n') {
                    state = BODY;
                } else if (TCHAR[b]) {
                    state = NAME;
                } else {
                    violation = "invalid character 0x" + Integer.toHexString(b) + " in header name";
                }
            }
            case NAME -> {
                if (b == ':') {
                    state = VALUE;
                } else if (!TCHAR[b]) {
                    violation = "invalid character 0x" + Integer.toHexString(b) + " in header name";
                }
            }
            case VALUE -> {
                if (b == '\n') {
                    state = LINE_START;
                }
            }
            case BLANK_LINE_CR -> {
                if (b == '\n') {
                    state = BODY;
                } else {
                    violation = "CR not followed by LF";
                }
            }
            default -> throw new IllegalStateException("state " + state);
        }
    }
}

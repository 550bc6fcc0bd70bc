package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Follows a chunked body's framing (RFC 9112 §7.1) over bytes that pass on unchanged, to find where the body
 * ends: chunk sizes are read, data is skipped by count, and extensions and trailer fields are only checked to
 * be lines of allowed bytes. Anything else is a framing error, after which nothing in the stream is trusted.
 * It accepts what Netty's decoder accepts, except that a trailer line must be a name, a colon and a value
 * (no whitespace before the colon, no folding): where the two could disagree, this one refuses. A trailer
 * field that would frame the message (Content-Length, Transfer-Encoding, Trailer) is refused too: bytes
 * that pass on unchanged cannot drop one, as Netty's decoder would, and a receiver that merges trailers into
 * the header section would act on it (RFC 9110 §6.5.1). The strict decoders refuse it on Netty's path
 * as well ({@link HeadScanner#fieldName}), so both paths answer alike.
 */
final class ChunkScanner {
    /** What {@link #scan} returns for bytes that break the framing. */
    static final int ERROR = -1;

    private static final int SIZE_START = 0;
    private static final int SIZE = 1;
    private static final int SIZE_BWS = 2;
    private static final int EXT_NAME = 3;
    private static final int EXT_VALUE_START = 4;
    private static final int EXT_TOKEN = 5;
    private static final int EXT_QUOTED = 6;
    private static final int EXT_ESCAPE = 7;
    private static final int EXT_QUOTED_END = 8;
    private static final int SIZE_LF = 9;
    private static final int DATA = 10;
    private static final int DATA_CR = 11;
    private static final int DATA_LF = 12;
    private static final int TRAILER_START = 13;
    private static final int TRAILER_NAME = 14;
    private static final int TRAILER_VALUE = 15;
    private static final int TRAILER_LF = 16;
    private static final int END_LF = 17;
    private static final int DONE = 18;
    private static final int FAILED = 19;
    /** A chunk-size line, and all trailer fields together, stay under this (Netty's line and header limits). */
    private static final int MAX_LINE_BYTES = 8192;
    /** Trailer field names refused, in lower case; {@link #candidates} has a bit for each. */
    private static final byte[][] FRAMING_FIELDS = {
        "content-length".getBytes(StandardCharsets.US_ASCII),
        "transfer-encoding".getBytes(StandardCharsets.US_ASCII),
        "trailer".getBytes(StandardCharsets.US_ASCII),
    };
    private static final int ALL_FRAMING_FIELDS = (1 << FRAMING_FIELDS.length) - 1;
    /** Delimiters that may not appear in a token (RFC 9110 §5.6.2). */
    private static final String DELIMITERS = "(),/:;<=>?@[\\]{}\"";

    private int state = SIZE_START;
    private long size;
    private int lineBytes;
    // The trailer name being read, matched a byte at a time so that a name split across reads is still seen:
    // its length so far, and which of FRAMING_FIELDS it still equals.
    private int nameLength;
    private int candidates;

    /** Starts a new body. */
    void reset() {
        state = SIZE_START;
        size = 0;
        lineBytes = 0;
    }

    /** Whether the last byte scanned ended the body. */
    boolean done() {
        return state == DONE;
    }

    /** Whether the bytes scanned broke the framing. */
    boolean failed() {
        return state == FAILED;
    }

    /**
     * Follows the body over {@code buf}'s bytes {@code [from, to)}: returns how many of them belong to it
     * (all, unless it ends before {@code to}), or {@link #ERROR}.
     */
    int scan(ByteBuf buf, int from, int to) {
        if (state == FAILED) {
            return ERROR;
        }
        int p = from;
        while (p < to && state != DONE) {
            if (state == DATA) {
                int n = (int) Math.min(size, to - p);
                p += n;
                size -= n;
                if (size == 0) {
                    state = DATA_CR;
                }
                continue;
            }
            if (!step(buf.getByte(p++))) {
                state = FAILED;
                return ERROR;
            }
        }
        return p - from;
    }

    private boolean step(byte c) {
        boolean inLine = state < SIZE_LF || state >= TRAILER_START && state <= TRAILER_LF;
        if (inLine && ++lineBytes > MAX_LINE_BYTES) {
            return false;
        }
        switch (state) {
            case SIZE_START, SIZE -> {
                int d = hex(c);
                if (d >= 0) {
                    size = size << 4 | d;
                    state = SIZE;
                    // Netty refuses a chunk of 2 GiB or more; so must a path standing in for it.
                    return size <= Integer.MAX_VALUE;
                }
                if (state == SIZE_START) {
                    return false;
                }
                if (c == ';') {
                    return next(EXT_NAME);
                }
                return c == '\r' ? next(SIZE_LF) : (c == ' ' || c == '\t') && next(SIZE_BWS);
            }
            case SIZE_BWS -> {
                // Whitespace after the size may only lead to extensions.
                return c == ';' ? next(EXT_NAME) : c == ' ' || c == '\t';
            }
            // Extensions are checked as Netty checks them, and otherwise not read (RFC 9112 §7.1.1).
            case EXT_NAME -> {
                if (c == '\r') {
                    return next(SIZE_LF);
                }
                if (c == ';') {
                    return true; // an empty name before the next one, as in "0;;x": Netty skips it too
                }
                if (c == '=') {
                    return next(EXT_VALUE_START);
                }
                return c == ' ' || c == '\t' || c == '"' || tokenChar(c);
            }
            case EXT_VALUE_START -> {
                if (c == '"') {
                    return next(EXT_QUOTED);
                }
                return tokenChar(c) ? next(EXT_TOKEN) : c == ' ' || c == '\t';
            }
            case EXT_TOKEN -> {
                if (c == '\r') {
                    return next(SIZE_LF);
                }
                return c == ';' ? next(EXT_NAME) : c == '"' || tokenChar(c);
            }
            case EXT_QUOTED -> {
                if (c == '\\') {
                    return next(EXT_ESCAPE);
                }
                if (c == '"') {
                    return next(EXT_QUOTED_END);
                }
                return c == '\t' || c == ' ' || visible(c) || c < 0;
            }
            case EXT_ESCAPE -> {
                return (c == '\t' || c == ' ' || visible(c) || c < 0) && next(EXT_QUOTED);
            }
            case EXT_QUOTED_END -> {
                if (c == '\r') {
                    return next(SIZE_LF);
                }
                return c == ';' ? next(EXT_NAME) : c == ' ' || c == '\t';
            }
            case SIZE_LF -> {
                lineBytes = 0;
                return c == '\n' && next(size == 0 ? TRAILER_START : DATA);
            }
            case DATA_CR -> {
                return c == '\r' && next(DATA_LF);
            }
            case DATA_LF -> {
                size = 0;
                return c == '\n' && next(SIZE_START);
            }
            case TRAILER_START -> {
                if (c == '\r') {
                    return next(END_LF);
                }
                // A name starts the line: no folding, no empty name.
                nameLength = 0;
                candidates = ALL_FRAMING_FIELDS;
                return tokenChar(c) && nameByte(c) && next(TRAILER_NAME);
            }
            case TRAILER_NAME -> {
                if (c == ':') {
                    return !framingField() && next(TRAILER_VALUE);
                }
                return tokenChar(c) && nameByte(c);
            }
            case TRAILER_VALUE -> {
                return c == '\r' ? next(TRAILER_LF) : fieldByte(c);
            }
            case TRAILER_LF -> {
                return c == '\n' && next(TRAILER_START);
            }
            case END_LF -> {
                return c == '\n' && next(DONE);
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * Whether {@code name[start, start + length)} is, in any case, a field that would frame a message; the
     * strict decoders refuse it in the trailers Netty's decoder reads, as {@link #scan} does here.
     */
    static boolean framingField(byte[] name, int start, int length) {
        for (byte[] field : FRAMING_FIELDS) {
            if (HeadLines.equalsLower(name, start, length, field)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Narrows {@link #candidates} to the framing fields the trailer name still matches; always true. {@code c}
     * is a token byte, so {@code c | 0x20} folds letters only, as in {@link HeadLines#equalsLower}.
     */
    private boolean nameByte(byte c) {
        int lower = c | 0x20;
        for (int k = 0; k < FRAMING_FIELDS.length; k++) {
            byte[] name = FRAMING_FIELDS[k];
            if (nameLength >= name.length || name[nameLength] != lower) {
                candidates &= ~(1 << k);
            }
        }
        nameLength++;
        return true;
    }

    /** Whether the trailer name just ended is one of {@link #FRAMING_FIELDS}. */
    private boolean framingField() {
        for (int k = 0; k < FRAMING_FIELDS.length; k++) {
            if ((candidates & 1 << k) != 0 && FRAMING_FIELDS[k].length == nameLength) {
                return true;
            }
        }
        return false;
    }

    private boolean next(int s) {
        state = s;
        return true;
    }

    /** VCHAR: a visible ASCII character. */
    private static boolean visible(byte c) {
        return c > 0x20 && c < 0x7f;
    }

    /** A tchar (RFC 9110 §5.6.2): visible and not a delimiter. */
    private static boolean tokenChar(byte c) {
        return visible(c) && DELIMITERS.indexOf(c) < 0;
    }

    /** HTAB, SP, VCHAR and obs-text: the bytes a field value may hold (RFC 9110 §5.5). */
    private static boolean fieldByte(byte c) {
        return c == '\t' || c >= 0x20 && c != 0x7f || c < 0;
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}

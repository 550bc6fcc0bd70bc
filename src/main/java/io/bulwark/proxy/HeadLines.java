package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The header lines of a message head, parsed in place for the raw paths ({@link WholeResponse},
 * {@link WholeRequest}): where each line starts, which of the caller's names it carries and where its value
 * is. Only lines that follow RFC 9112 to the letter are taken (a token name, a colon, a value of HTAB, SP,
 * VCHAR or obs-text, CRLF); anything else declines the whole head, which then goes to Netty's decoder.
 * One instance per decoder, reused message after message.
 */
final class HeadLines {
    static final int MAX_LINES = 64;
    static final int CRLF = ('\r' << 8) | '\n';
    private static final byte[] CLOSE_TOKEN = ascii("close");
    private static final byte[] KEEP_ALIVE_TOKEN = ascii("keep-alive");
    /** Connection lists close. */
    static final int CLOSE = 1;

    // The head is copied out once and parsed as an array: per-byte reads from a ByteBuf cost a bounds check
    // each, and a ByteProcessor a call each.
    private byte[] bytes = new byte[1024];
    private final int[] starts = new int[MAX_LINES + 1];
    private final byte[] names = new byte[MAX_LINES];
    private final int[] valueStarts = new int[MAX_LINES];
    private final int[] valueEnds = new int[MAX_LINES];
    private int count;
    private int end;

    /**
     * Copies up to {@code max} bytes from {@code in}'s reader index for parsing (see {@link #bytes}); returns
     * how many. Offsets everywhere in this class are from that reader index.
     */
    int load(ByteBuf in, int max) {
        int n = Math.min(in.readableBytes(), max);
        if (n > bytes.length) {
            bytes = new byte[Math.max(n, bytes.length * 2)];
        }
        in.getBytes(in.readerIndex(), bytes, 0, n);
        return n;
    }

    /** What {@link #load} copied. */
    byte[] bytes() {
        return bytes;
    }

    /**
     * Parses the lines from {@code from} through the blank line, all before {@code limit}; returns false when
     * the head is incomplete or not one to take. Names are classified by {@code table}.
     */
    boolean parse(int from, int limit, Names table) {
        byte[] b = bytes;
        int p = from;
        count = 0;
        while (true) {
            if (p + 1 >= limit) {
                return false;
            }
            if (b[p] == '\r') {
                if (b[p + 1] != '\n') {
                    return false;
                }
                starts[count] = p;
                end = p + 2;
                return true;
            }
            if (count == MAX_LINES) {
                return false;
            }
            int nameStart = p;
            while (p < limit && HeadScanner.isTokenChar(b[p])) {
                p++;
            }
            if (p == nameStart || p == limit || b[p] != ':') {
                return false;
            }
            byte name = table.of(b, nameStart, p - nameStart);
            p++;
            while (p < limit && (b[p] == ' ' || b[p] == '\t')) {
                p++;
            }
            int valueStart = p;
            int lineEnd = endOfLine(b, p, limit);
            if (lineEnd < 0) {
                return false;
            }
            int valueEnd = lineEnd - 2;
            while (valueEnd > valueStart && (b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) {
                valueEnd--;
            }
            starts[count] = nameStart;
            names[count] = name;
            valueStarts[count] = valueStart;
            valueEnds[count] = valueEnd;
            count++;
            p = lineEnd;
        }
    }

    int count() {
        return count;
    }

    /** The caller's class of line {@code i}'s name; 0 for a name not in its table. */
    byte name(int i) {
        return names[i];
    }

    int valueStart(int i) {
        return valueStarts[i];
    }

    int valueEnd(int i) {
        return valueEnds[i];
    }

    /** Just past the blank line that ends the head. */
    int end() {
        return end;
    }

    /** Where each line starts, then where the blank line starts. */
    int[] starts() {
        return Arrays.copyOf(starts, count + 1);
    }

    /**
     * Where the line from {@code p} ends (just past its CRLF), or -1 when the CRLF is not before
     * {@code limit} or a byte is not allowed in a field value or reason phrase: only HTAB, SP, VCHAR and
     * obs-text are.
     */
    static int endOfLine(byte[] b, int p, int limit) {
        for (; p < limit; p++) {
            byte c = b[p];
            if (c < 0x20 && c >= 0 && c != '\t' || c == 0x7f) {
                return c == '\r' && p + 1 < limit && b[p + 1] == '\n' ? p + 2 : -1;
            }
        }
        return -1;
    }

    /** Whether lines {@code a} and {@code b} of {@code lines} carry the same value, byte for byte. */
    static boolean sameValue(byte[] b, HeadLines lines, int a, int other) {
        int from = lines.valueStart(a);
        int length = lines.valueEnd(a) - from;
        int otherFrom = lines.valueStart(other);
        return lines.valueEnd(other) - otherFrom == length
                && Arrays.equals(b, from, from + length, b, otherFrom, otherFrom + length);
    }

    /** A Content-Length value of plain digits (at most nine), or -1. */
    static long number(byte[] b, int from, int to) {
        if (from == to || to - from > 9) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    /**
     * Reads a Connection value: {@link #CLOSE} if it lists close, 0 if only keep-alive, -1 when it names
     * anything else (a field to remove, or Upgrade), which is the slow path's to handle.
     */
    static int connectionTokens(byte[] b, int from, int to) {
        int result = 0;
        int p = from;
        while (p <= to) {
            int comma = p;
            while (comma < to && b[comma] != ',') {
                comma++;
            }
            int s = p;
            int e = comma;
            while (s < e && (b[s] == ' ' || b[s] == '\t')) {
                s++;
            }
            while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                e--;
            }
            if (equalsLower(b, s, e - s, CLOSE_TOKEN)) {
                result = CLOSE;
            } else if (e > s && !equalsLower(b, s, e - s, KEEP_ALIVE_TOKEN)) {
                return -1;
            }
            p = comma + 1;
        }
        return result;
    }

    /**
     * Whether the bytes are {@code lower}, ignoring ASCII case. {@code c | 0x20} folds only letters here:
     * the names and tokens compared hold letters and '-', whose other preimage (CR) never gets this far.
     */
    static boolean equalsLower(byte[] b, int from, int length, byte[] lower) {
        if (length != lower.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((b[from + i] | 0x20) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the fields of a head held in {@code src} (from its reader index) to {@code out} as a raw path
     * forwards them: the lines flagged in {@code cut} left out, and the list-valued lines {@code lineA} and
     * {@code lineB} (-1 for none) extended with ", " and an item after their values, which end at {@code endA}
     * and {@code endB}. Runs of kept lines go in one copy each. {@code starts} is {@link #starts()}: where each
     * of the {@code count} lines starts, then where the blank line does; nothing from there on is written.
     * The copy starts at offset {@code from} of the head (0: its start line too).
     */
    static void copyFields(ByteBuf out, ByteBuf src, int from, int[] starts, int count, long cut,
            int lineA, int endA, byte[] itemA, int lineB, int endB, byte[] itemB) {
        int base = src.readerIndex();
        int run = from;
        for (int i = 0; i < count; i++) {
            boolean dropped = (cut & (1L << i)) != 0;
            if (dropped || i == lineA || i == lineB) {
                if (dropped) {
                    out.writeBytes(src, base + run, starts[i] - run);
                } else {
                    int end = i == lineA ? endA : endB;
                    out.writeBytes(src, base + run, end - run).writeByte(',').writeByte(' ')
                            .writeBytes(i == lineA ? itemA : itemB).writeShort(CRLF);
                }
                run = starts[i + 1];
            }
        }
        out.writeBytes(src, base + run, starts[count] - run);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Header names a raw path acts on, each with a class number (1..127), matched without regard to case. */
    static final class Names {
        private final byte[][][] byLength = new byte[32][][];
        private final byte[][] classesByLength = new byte[32][];

        /** {@code names[i]} (lower case, under 32 bytes) gets class {@code i + 1}. */
        Names(String... names) {
            for (int i = 0; i < names.length; i++) {
                byte[] n = ascii(names[i]);
                int len = n.length;
                byte[][] list = byLength[len] == null ? new byte[0][] : byLength[len];
                byte[] classes = classesByLength[len] == null ? new byte[0] : classesByLength[len];
                byLength[len] = Arrays.copyOf(list, list.length + 1);
                byLength[len][list.length] = n;
                classesByLength[len] = Arrays.copyOf(classes, classes.length + 1);
                classesByLength[len][classes.length] = (byte) (i + 1);
            }
        }

        byte of(byte[] b, int from, int length) {
            byte[][] candidates = length < byLength.length ? byLength[length] : null;
            if (candidates != null) {
                for (int i = 0; i < candidates.length; i++) {
                    if (equalsLower(b, from, length, candidates[i])) {
                        return classesByLength[length][i];
                    }
                }
            }
            return 0;
        }
    }
}

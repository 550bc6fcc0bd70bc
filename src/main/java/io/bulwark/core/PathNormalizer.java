package io.bulwark.core;

import java.util.Arrays;

/**
 * Request paths in the normal form of RFC 3986 §6.2.2: percent-encoded unreserved characters decoded, the
 * other percent-encodings in upper case ({@code %2F} stays encoded, so it never becomes a separator), dot
 * segments removed (§5.2.4), and, when asked, runs of slashes merged. Routes are matched on this form, and
 * route prefixes are checked to be in it. A path that climbs above the root ({@code /../x}) has no normal
 * form: a gateway that dropped the {@code ..}, as §5.2.4 does, would hand the server a path the client never
 * asked for.
 */
public final class PathNormalizer {
    /** {@link #scan}: the path is in normal form already. */
    public static final int NORMAL = 0;
    /** {@link #scan}: {@link #normalized} differs from the path, or refuses it. */
    public static final int CHANGES = 1;
    /** {@link #scan}: a percent sign not followed by two hex digits. */
    public static final int MALFORMED = -1;

    private static final boolean[] UNRESERVED = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) UNRESERVED[c] = true;
        for (char c = 'a'; c <= 'z'; c++) UNRESERVED[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) UNRESERVED[c] = true;
        for (char c : "-._~".toCharArray()) UNRESERVED[c] = true;
    }

    private PathNormalizer() {}

    /**
     * Looks at the path {@code s[from, to)} (it starts with '/') without copying it: {@link #NORMAL},
     * {@link #CHANGES} or {@link #MALFORMED}. Most paths are normal, and cost one pass over their characters.
     *
     * @param normalize decode, case and dot-segment rules (percent-encodings are checked either way)
     * @param mergeSlashes whether "//" is to become "/"
     */
    public static int scan(String s, int from, int to, boolean normalize, boolean mergeSlashes) {
        int result = NORMAL;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 1 < to ? hex(s.charAt(i + 1)) : -1;
                int lo = i + 2 < to ? hex(s.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    return MALFORMED;
                }
                char decoded = (char) (hi << 4 | lo);
                if (normalize && (decoded < 128 && UNRESERVED[decoded] || isLower(s.charAt(i + 1))
                        || isLower(s.charAt(i + 2)))) {
                    result = CHANGES;
                }
                i += 2;
            } else if (c == '/' && i + 1 < to) {
                char next = s.charAt(i + 1);
                if (next == '/' && mergeSlashes || next == '.' && normalize && dotSegment(s, i + 1, to)) {
                    result = CHANGES;
                }
            }
        }
        return result;
    }

    /**
     * The normal form of the path {@code s[from, to)}, or {@code null} when it has none (a malformed
     * percent-encoding, or a ".." above the root).
     */
    public static String normalized(String s, int from, int to, boolean normalize, boolean mergeSlashes) {
        StringBuilder decoded = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != '%') {
                decoded.append(c);
                continue;
            }
            int hi = i + 1 < to ? hex(s.charAt(i + 1)) : -1;
            int lo = i + 2 < to ? hex(s.charAt(i + 2)) : -1;
            if (hi < 0 || lo < 0) {
                return null;
            }
            char d = (char) (hi << 4 | lo);
            if (!normalize) {
                decoded.append(s, i, i + 3);
            } else if (d < 128 && UNRESERVED[d]) {
                decoded.append(d);
            } else {
                decoded.append('%').append(upperHex(hi)).append(upperHex(lo));
            }
            i += 2;
        }
        return withoutDotSegments(decoded, normalize, mergeSlashes);
    }

    /**
     * RFC 3986 §5.2.4 over whole segments: "." goes, ".." takes the segment before it with it, and a path
     * ending in either ends with '/'. Empty segments ("//") stay unless merged.
     */
    private static String withoutDotSegments(CharSequence path, boolean normalize, boolean mergeSlashes) {
        int length = path.length();
        // Start and end of each kept segment, in pairs.
        int[] kept = new int[16];
        int count = 0;
        boolean trailingSlash = false;
        int start = 1; // past the leading '/'
        while (start <= length) {
            int end = start;
            while (end < length && path.charAt(end) != '/') {
                end++;
            }
            boolean last = end >= length;
            int n = end - start;
            boolean dot = normalize && n == 1 && path.charAt(start) == '.';
            boolean dotDot = normalize && n == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.';
            if (dotDot) {
                if (count == 0) {
                    return null;
                }
                count--;
                trailingSlash = last;
            } else if (dot || n == 0 && (mergeSlashes || last)) {
                trailingSlash = last;
            } else {
                if (2 * count + 2 > kept.length) {
                    kept = Arrays.copyOf(kept, kept.length * 2);
                }
                kept[2 * count] = start;
                kept[2 * count + 1] = end;
                count++;
                trailingSlash = false;
            }
            start = end + 1;
        }
        StringBuilder out = new StringBuilder(length);
        for (int k = 0; k < count; k++) {
            out.append('/').append(path, kept[2 * k], kept[2 * k + 1]);
        }
        if (trailingSlash || count == 0) {
            out.append('/');
        }
        return out.toString();
    }

    /** Whether the segment starting at {@code i} is "." or "..". */
    private static boolean dotSegment(String s, int i, int to) {
        int end = i;
        while (end < to && s.charAt(end) != '/') {
            end++;
        }
        int n = end - i;
        return n == 1 || n == 2 && s.charAt(i + 1) == '.';
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'f';
    }

    private static char upperHex(int d) {
        return (char) (d < 10 ? '0' + d : 'A' + d - 10);
    }
}

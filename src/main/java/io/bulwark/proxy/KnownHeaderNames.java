package io.bulwark.proxy;

import io.netty.util.AsciiString;

/**
 * The header names most messages carry, spelled as servers and clients commonly send them (canonical case
 * and lower case), so the decoders can hand out one shared {@link AsciiString} instead of allocating a new
 * one, with its byte array, for every header of every message. The case is kept exactly as received: a
 * name is only shared when its bytes match.
 */
final class KnownHeaderNames {
    private static final String[] NAMES = {
        "Accept", "Accept-Encoding", "Accept-Language", "Accept-Ranges", "Age", "Authorization", "Cache-Control",
        "Connection", "Content-Encoding", "Content-Length", "Content-Type", "Cookie", "Date", "ETag", "Expires",
        "Host", "If-Modified-Since", "If-None-Match", "Keep-Alive", "Last-Modified", "Location", "Origin",
        "Pragma", "Referer", "Server", "Set-Cookie", "Transfer-Encoding", "Upgrade", "User-Agent", "Vary", "Via",
        "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Request-Id",
    };
    /** By length, then the names of that length in both spellings. */
    private static final AsciiString[][] BY_LENGTH;

    static {
        int max = 0;
        for (String n : NAMES) {
            max = Math.max(max, n.length());
        }
        java.util.List<java.util.List<AsciiString>> lists = new java.util.ArrayList<>();
        for (int i = 0; i <= max; i++) {
            lists.add(new java.util.ArrayList<>());
        }
        for (String n : NAMES) {
            lists.get(n.length()).add(AsciiString.cached(n));
            String lower = n.toLowerCase(java.util.Locale.ROOT);
            if (!lower.equals(n)) {
                lists.get(n.length()).add(AsciiString.cached(lower));
            }
        }
        BY_LENGTH = lists.stream().map(l -> l.toArray(AsciiString[]::new)).toArray(AsciiString[][]::new);
    }

    private KnownHeaderNames() {}

    /** The shared name whose bytes are exactly {@code bytes[start, start + length)}, or {@code null}. */
    static AsciiString find(byte[] bytes, int start, int length) {
        if (length >= BY_LENGTH.length) {
            return null;
        }
        for (AsciiString candidate : BY_LENGTH[length]) {
            if (equal(candidate.array(), candidate.arrayOffset(), bytes, start, length)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean equal(byte[] a, int aFrom, byte[] b, int bFrom, int length) {
        return java.util.Arrays.equals(a, aFrom, aFrom + length, b, bFrom, bFrom + length);
    }
}

package io.bulwark.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and formats byte sizes as nginx writes them: {@code 512}, {@code 64k}, {@code 1m}, {@code 1g} (binary multiples). */
public final class Sizes {
    private static final Pattern FORMAT = Pattern.compile("([0-9]+)([kmg]?)");
    private static final long K = 1024;
    private static final long M = K * 1024;
    private static final long G = M * 1024;

    private Sizes() {}

    /**
     * Parses {@code text}; the unit is case-insensitive and a bare number means bytes.
     *
     * @throws IllegalArgumentException with a message in the form {@code what (expected: ...)}
     */
    public static long parse(String text) {
        String t = text.strip();
        Matcher m = FORMAT.matcher(t.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(t + " (expected: a size like 512, 64k, 1m or 1g)");
        }
        try {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "k" -> Math.multiplyExact(n, K);
                case "m" -> Math.multiplyExact(n, M);
                case "g" -> Math.multiplyExact(n, G);
                default -> n;
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(t + " is too large (expected: a size like 512, 64k, 1m or 1g)");
        }
    }

    /** The shortest text {@link #parse} reads back as {@code bytes} (which must not be negative). */
    public static String format(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: " + bytes + " (expected: >= 0)");
        }
        if (bytes != 0 && bytes % G == 0) {
            return bytes / G + "g";
        }
        if (bytes != 0 && bytes % M == 0) {
            return bytes / M + "m";
        }
        if (bytes != 0 && bytes % K == 0) {
            return bytes / K + "k";
        }
        return Long.toString(bytes);
    }
}

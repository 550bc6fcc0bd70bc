package io.bulwark.config;

import java.util.BitSet;
import java.util.regex.Pattern;

/** A set of HTTP status codes written as a list of codes and ranges, e.g. {@code 200,204,300-399}. */
public final class StatusRanges {
    static final int MIN = 100;
    static final int MAX = 599;
    static final String EXPECTED = "status codes and ranges like 200,204,300-399 within 100..599";
    private static final Pattern ITEM = Pattern.compile("([0-9]{3})(?:-([0-9]{3}))?");

    /** 200..399, what nginx and HAProxy treat as a passing check by default. */
    public static final StatusRanges DEFAULT = parse("200-399");

    private final BitSet codes;
    private final String text;

    private StatusRanges(BitSet codes, String text) {
        this.codes = codes;
        this.text = text;
    }

    /**
     * Parses {@code text}; spaces around items are allowed.
     *
     * @throws IllegalArgumentException with a message in the form {@code what (expected: ...)}
     */
    public static StatusRanges parse(String text) {
        BitSet codes = new BitSet(MAX + 1);
        for (String raw : text.split(",", -1)) {
            var m = ITEM.matcher(raw.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException(text + " (expected: " + EXPECTED + ")");
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            if (from < MIN || to > MAX || from > to) {
                throw new IllegalArgumentException(text + " (expected: " + EXPECTED + ")");
            }
            codes.set(from, to + 1);
        }
        return new StatusRanges(codes, text.replace(" ", ""));
    }

    /** Whether {@code status} is in the set; allocation-free. */
    public boolean contains(int status) {
        return status >= MIN && status <= MAX && codes.get(status);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatusRanges r && r.codes.equals(codes);
    }

    @Override
    public int hashCode() {
        return codes.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}

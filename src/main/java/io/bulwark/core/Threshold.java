package io.bulwark.core;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * A warning or critical range in the Nagios plugin guidelines' syntax {@code [@]start:end}, deciding whether a
 * measured value raises an alert. In core because the config checks ranges when it is loaded and the monitor
 * applies them.
 */
public final class Threshold {
    private static final String EXPECTED = " (expected: a range like 10, 10:, ~:10, 10:20 or @10:20)";
    /**
     * A number as thresholds and performance data write it: stricter than Double.parseDouble, which would also
     * take "NaN", "Infinity", "0x1p3" and "10d". The monitor reads performance data with it too, so both agree.
     */
    public static final Pattern NUMBER = Pattern.compile("[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");

    private final double start;
    private final double end;
    private final boolean alertInside;

    private Threshold(double start, double end, boolean alertInside) {
        // Adding 0.0 turns -0.0 into 0.0, so "-0:5" and "0:5" are the same threshold and print the same.
        this.start = start + 0.0;
        this.end = end + 0.0;
        this.alertInside = alertInside;
    }

    /** The range written as {@code [@]start:end}; throws {@link IllegalArgumentException} saying what is wrong. */
    public static Threshold parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("threshold is empty" + EXPECTED);
        }
        boolean inside = s.startsWith("@");
        String range = inside ? s.substring(1) : s;
        if (range.isEmpty()) {
            throw new IllegalArgumentException(quote(s) + " has no range after the @" + EXPECTED);
        }
        int colon = range.indexOf(':');
        if (colon != range.lastIndexOf(':')) {
            throw new IllegalArgumentException(quote(s) + " has more than one colon" + EXPECTED);
        }
        if (colon < 0) {
            return checked(s, "0", range, 0, number(range, s), inside);
        }
        String startText = range.substring(0, colon);
        String endText = range.substring(colon + 1);
        if (startText.isEmpty()) {
            // The guidelines let only a missing colon stand for a start of 0; ":10" is more likely a slip than 0:10.
            throw new IllegalArgumentException(quote(s) + " has nothing before the colon"
                    + " (expected: a number or ~ as start, as in 0:10 or ~:10, or no colon at all, as in 10)");
        }
        double start = startText.equals("~") ? Double.NEGATIVE_INFINITY : number(startText, s);
        double end = endText.isEmpty() ? Double.POSITIVE_INFINITY : number(endText, s);
        return checked(s, startText, endText, start, end, inside);
    }

    private static Threshold checked(String s, String startText, String endText, double start, double end,
            boolean inside) {
        if (start > end) {
            String at = inside ? "@" : "";
            throw new IllegalArgumentException("start " + startText + " is greater than end " + endText
                    + " (expected: start <= end, as in " + at + endText + ":" + startText + ")");
        }
        return new Threshold(start, end, inside);
    }

    private static double number(String token, String whole) {
        if (!NUMBER.matcher(token).matches()) {
            String where = token.equals(whole) ? "" : " in " + quote(whole);
            String hint = token.equals("~") ? "; ~ stands for negative infinity and only as start" : "";
            throw new IllegalArgumentException(quote(token) + " is not a number" + where + hint + EXPECTED);
        }
        double value = Double.parseDouble(token);
        if (Double.isInfinite(value)) {
            throw new IllegalArgumentException(quote(token) + " is too large for a double"
                    + " (expected: ~ as start for negative infinity, or an empty end for positive infinity)");
        }
        return value;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /**
     * Whether the value raises an alert: outside start..end, or inside it for an {@code @} range (both ends
     * inclusive). NaN is inside no range.
     */
    public boolean alerts(double value) {
        boolean within = value >= start && value <= end;
        return within == alertInside;
    }

    /** The range in its shortest form, which {@link #parse} reads back to an equal threshold. */
    @Override
    public String toString() {
        String at = alertInside ? "@" : "";
        if (start == 0 && end != Double.POSITIVE_INFINITY) {
            return at + format(end);
        }
        String from = start == Double.NEGATIVE_INFINITY ? "~" : format(start);
        String to = end == Double.POSITIVE_INFINITY ? "" : format(end);
        return at + from + ":" + to;
    }

    // Plain digits, never "1.0E-7", so the text reads the way a person would write it in a config.
    private static String format(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Threshold t
                && Double.compare(start, t.start) == 0
                && Double.compare(end, t.end) == 0
                && alertInside == t.alertInside;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(start) * 31 * 31 + Double.hashCode(end) * 31 + Boolean.hashCode(alertInside);
    }
}

package io.bulwark.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and formats config durations: a whole number and one unit, {@code 250ms}, {@code 2s}, {@code 1m}, {@code 1h}. */
public final class Durations {
    // Units are lowercase only: "1M" reads as a month to some people, so it is refused rather than guessed.
    private static final Pattern FORMAT = Pattern.compile("([0-9]+)(ms|s|m|h)");
    private static final Pattern BARE_NUMBER = Pattern.compile("[0-9]+");

    private Durations() {}

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message in the form {@code what (expected: ...)}
     */
    public static Duration parse(String text) {
        String t = text.strip();
        if (BARE_NUMBER.matcher(t).matches()) {
            // A bare number is the classic "is that seconds or millis?" bug; make the author say.
            throw new IllegalArgumentException(
                    t + " has no unit (expected: " + t + "ms, " + t + "s, " + t + "m or " + t + "h)");
        }
        Matcher m = FORMAT.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(t + " (expected: a duration like 250ms, 2s, 1m or 1h)");
        }
        try {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(t + " is too large (expected: a duration like 250ms, 2s, 1m or 1h)");
        }
    }

    /** The shortest text {@link #parse} reads back as {@code d}; sub-millisecond parts are dropped. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms != 0 && ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}

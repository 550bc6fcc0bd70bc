package io.bulwark.monitor;

import io.bulwark.core.Threshold;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One item of a plugin's performance data, {@code 'label'=value[UOM];[warn];[crit];[min];[max]} (Nagios plugin
 * guidelines, "Performance data").
 *
 * @param label the label, unquoted ({@code ''} inside a quoted label already turned into one quote)
 * @param value the value; NaN when the plugin printed {@code U}, the guidelines' "could not be determined"
 * @param unit the unit of measurement as printed ({@code s}, {@code ms}, {@code %}, {@code B}, {@code c}, ...),
 *     empty when none
 * @param warn the warning range as printed (see {@link Threshold}), null when empty
 * @param crit the critical range as printed, null when empty
 * @param min the minimum the value can take, null when absent
 * @param max the maximum the value can take, null when absent
 */
public record PerfDatum(String label, double value, String unit, String warn, String crit, Double min, Double max) {
    private static final Pattern VALUE = Pattern.compile("(" + Threshold.NUMBER.pattern() + ")([\\p{L}%]*)");

    public PerfDatum {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(unit, "unit");
    }

    /** Every well-formed item of space-separated performance data; malformed ones are left out. */
    static List<PerfDatum> parseAll(String text) {
        List<PerfDatum> data = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (Character.isWhitespace(text.charAt(i))) {
                i++;
                continue;
            }
            int end = itemEnd(text, i);
            parse(text.substring(i, end)).ifPresent(data::add);
            i = end;
        }
        return data;
    }

    // A quoted label may hold spaces, so an item ends at the first whitespace after its closing quote.
    private static int itemEnd(String text, int start) {
        int from = start;
        if (text.charAt(start) == '\'') {
            int close = closingQuote(text, start);
            // An unclosed quote would swallow every item after it; keep the damage to this one word.
            from = close < 0 ? start : close + 1;
        }
        int i = from;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Index of the quote closing the label opened at {@code open}, skipping doubled quotes; -1 when unclosed. */
    private static int closingQuote(String text, int open) {
        int i = open + 1;
        while (i < text.length()) {
            if (text.charAt(i) == '\'') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return -1;
    }

    /** The item, or empty when it is not in the guidelines' format. */
    static Optional<PerfDatum> parse(String item) {
        String label;
        int equals;
        if (item.startsWith("'")) {
            int close = closingQuote(item, 0);
            if (close < 0) {
                return Optional.empty();
            }
            label = item.substring(1, close).replace("''", "'");
            equals = close + 1;
        } else {
            equals = item.indexOf('=');
            if (equals < 0) {
                return Optional.empty();
            }
            label = item.substring(0, equals);
        }
        if (label.isEmpty() || equals >= item.length() || item.charAt(equals) != '=') {
            return Optional.empty();
        }
        String[] fields = item.substring(equals + 1).split(";", -1);
        for (int f = 5; f < fields.length; f++) {
            // Surplus semicolons are harmless; surplus values mean we do not know what the plugin meant.
            if (!fields[f].isBlank()) {
                return Optional.empty();
            }
        }
        double value;
        String unit;
        if (fields[0].equals("U")) {
            value = Double.NaN;
            unit = "";
        } else {
            Matcher m = VALUE.matcher(fields[0]);
            if (!m.matches()) {
                return Optional.empty();
            }
            value = Double.parseDouble(m.group(1));
            unit = m.group(2);
        }
        if (!boundReadable(fields, 3) || !boundReadable(fields, 4)) {
            return Optional.empty();
        }
        return Optional.of(new PerfDatum(label, value, unit, range(fields, 1), range(fields, 2),
                bound(fields, 3), bound(fields, 4)));
    }

    private static String range(String[] fields, int index) {
        return index < fields.length && !fields[index].isBlank() ? fields[index].strip() : null;
    }

    private static boolean boundReadable(String[] fields, int index) {
        return index >= fields.length || fields[index].isBlank()
                || Threshold.NUMBER.matcher(fields[index].strip()).matches();
    }

    private static Double bound(String[] fields, int index) {
        return index < fields.length && !fields[index].isBlank() ? Double.valueOf(fields[index].strip()) : null;
    }
}

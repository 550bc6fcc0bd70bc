package io.bulwark.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text with {@code {{name}}} placeholders, as an SMS gateway's body or URL is written in the config: parsed and
 * checked when the config is loaded (an unknown placeholder is a config error), filled in for each alert.
 */
public final class Template {
    /** The placeholders an alert fills in. */
    public static final Set<String> PLACEHOLDERS = Set.of("source", "state", "severity", "kind", "summary", "since",
            "node");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]*)\\s*}}");

    // Literal text and placeholder names, alternating, starting with text.
    private final List<String> parts;
    private final String text;

    private Template(List<String> parts, String text) {
        this.parts = parts;
        this.text = text;
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming an unknown placeholder. */
    public static Template parse(String text) {
        return parse(text, Set.of());
    }

    /** Parses {@code text}, which may also name the placeholders in {@code extra} (a channel's own, e.g. token). */
    public static Template parse(String text, Set<String> extra) {
        List<String> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        while (m.find()) {
            String name = m.group(1);
            if (!PLACEHOLDERS.contains(name) && !extra.contains(name)) {
                java.util.TreeSet<String> known = new java.util.TreeSet<>(PLACEHOLDERS);
                known.addAll(extra);
                throw new IllegalArgumentException("unknown placeholder {{" + name + "}} " + DidYouMean.hint(name, known));
            }
            parts.add(text.substring(at, m.start()));
            parts.add(name);
            at = m.end();
        }
        parts.add(text.substring(at));
        return new Template(List.copyOf(parts), text);
    }

    /**
     * This template with the placeholder {@code name} filled in for good, e.g. a channel's token once read:
     * the value is not searched for placeholders, and never shows in {@link #toString()}.
     */
    public Template with(String name, String value) {
        List<String> out = new ArrayList<>();
        StringBuilder literal = new StringBuilder(parts.getFirst());
        for (int i = 1; i < parts.size(); i += 2) {
            if (parts.get(i).equals(name)) {
                literal.append(value).append(parts.get(i + 1));
            } else {
                out.add(literal.toString());
                out.add(parts.get(i));
                literal = new StringBuilder(parts.get(i + 1));
            }
        }
        out.add(literal.toString());
        return new Template(List.copyOf(out), text);
    }

    /** The text with each placeholder replaced by its value, passed through {@code escape} first. */
    public String render(Map<String, String> values, java.util.function.UnaryOperator<String> escape) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            b.append(i % 2 == 0 ? parts.get(i) : escape.apply(values.getOrDefault(parts.get(i), "")));
        }
        return b.toString();
    }

    /** The text with each placeholder replaced by its value as it is. */
    public String render(Map<String, String> values) {
        return render(values, v -> v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Template t && t.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}

package io.bulwark.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * One YAML node at a known key path. Each conversion either returns the value or records a problem at the
 * node and returns empty, so a binder keeps going and the user sees every problem at once.
 */
final class Value {
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");

    private final Node node;
    private final String path;
    private final Problems problems;

    Value(Node node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    Node node() {
        return node;
    }

    String path() {
        return path;
    }

    Problems problems() {
        return problems;
    }

    /** Records {@code message} against this value. */
    void problem(String message) {
        problems.add(node, path, message);
    }

    /** The value as the user wrote it, for messages: scalars verbatim (quotes kept), collections by kind. */
    String display() {
        return switch (node) {
            case ScalarNode s when s.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED -> '"' + s.getValue() + '"';
            case ScalarNode s when s.getScalarStyle() == ScalarStyle.SINGLE_QUOTED -> "'" + s.getValue() + "'";
            case ScalarNode s when isNull() -> "no value";
            case ScalarNode s -> s.getValue();
            case SequenceNode q -> "a list";
            case MappingNode m -> "a mapping";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** The text of a scalar, quoted or not; anything else (including an empty value) is a problem. */
    Optional<String> text(String expected) {
        if (node instanceof ScalarNode s && !isNull()) {
            return Optional.of(s.getValue());
        }
        return fail(expected);
    }

    /** A text that matches {@code pattern} in full. */
    Optional<String> matching(Pattern pattern, String expected) {
        Optional<String> text = text(expected);
        if (text.isPresent() && !pattern.matcher(text.get()).matches()) {
            return fail(expected);
        }
        return text;
    }

    /** An unquoted whole number in {@code min..max}; strings and floats are refused, not coerced. */
    OptionalInt integer(int min, int max) {
        String range = min + ".." + max;
        if (!(node instanceof ScalarNode s) || isNull()) {
            fail("an integer in " + range);
            return OptionalInt.empty();
        }
        if (s.getScalarStyle() != ScalarStyle.PLAIN) {
            fail("an integer in " + range + ", without quotes");
            return OptionalInt.empty();
        }
        if (!INTEGER.matcher(s.getValue()).matches()) {
            fail("an integer in " + range);
            return OptionalInt.empty();
        }
        long n;
        try {
            n = Long.parseLong(s.getValue());
        } catch (NumberFormatException e) {
            n = Long.MAX_VALUE;
        }
        if (n < min || n > max) {
            fail(range);
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) n);
    }

    /** Unquoted {@code true} or {@code false}; YAML 1.1's yes/no/on/off are refused as too easy to misread. */
    Optional<Boolean> bool() {
        if (node instanceof ScalarNode s && s.getScalarStyle() == ScalarStyle.PLAIN) {
            if (s.getValue().equals("true")) {
                return Optional.of(true);
            }
            if (s.getValue().equals("false")) {
                return Optional.of(false);
            }
        }
        return fail("true or false");
    }

    /** A duration within {@code min..max}. */
    Optional<Duration> duration(Duration min, Duration max) {
        return text("a duration like 250ms, 2s, 1m or 1h").flatMap(t -> {
            try {
                Duration d = Durations.parse(t);
                if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                    return fail(Durations.format(min) + ".." + Durations.format(max));
                }
                return Optional.of(d);
            } catch (IllegalArgumentException e) {
                problem(e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** A byte size within {@code min..max}. */
    OptionalInt size(int min, int max) {
        Optional<String> text = text("a size like 512, 64k, 1m or 1g");
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            long n = Sizes.parse(text.get());
            if (n < min || n > max) {
                fail(Sizes.format(min) + ".." + Sizes.format(max));
                return OptionalInt.empty();
            }
            return OptionalInt.of((int) n);
        } catch (IllegalArgumentException e) {
            problem(e.getMessage());
            return OptionalInt.empty();
        }
    }

    /** A {@code host:port} whose port is at least {@code minPort} (0 lets tests bind ephemeral ports). */
    Optional<HostPort> hostPort(int minPort) {
        return text("host:port like 127.0.0.1:8080").flatMap(t -> {
            try {
                HostPort hp = HostPorts.parse(t);
                if (hp.port() < minPort) {
                    return fail("port " + minPort + "..65535");
                }
                return Optional.of(hp);
            } catch (IllegalArgumentException e) {
                problem(e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** One of the names in {@code byName}, with a did-you-mean hint on a typo. */
    <E> Optional<E> choice(Map<String, E> byName) {
        Optional<String> text = text("one of " + String.join(", ", byName.keySet()));
        if (text.isPresent() && !byName.containsKey(text.get())) {
            problem("unknown value '" + text.get() + "' " + DidYouMean.hint(text.get(), byName.keySet()));
            return Optional.empty();
        }
        return text.map(byName::get);
    }

    /** This value as a mapping section. */
    Optional<Section> section(String expected) {
        if (node instanceof MappingNode m) {
            return Optional.of(new Section(m, path, problems));
        }
        return fail(expected);
    }

    /** The items of a list, each at {@code path[i]}; an empty list is a problem when {@code nonEmpty}. */
    Optional<List<Value>> list(boolean nonEmpty, String expected) {
        if (!(node instanceof SequenceNode seq)) {
            return fail(expected);
        }
        if (nonEmpty && seq.getValue().isEmpty()) {
            problem("empty list (expected: " + expected + ")");
            return Optional.empty();
        }
        List<Value> items = new ArrayList<>(seq.getValue().size());
        for (int i = 0; i < seq.getValue().size(); i++) {
            items.add(new Value(seq.getValue().get(i), path + "[" + i + "]", problems));
        }
        return Optional.of(items);
    }

    /** Plain {@code ~}, {@code null} or nothing at all after the colon. */
    boolean isNull() {
        return node instanceof ScalarNode s
                && s.getScalarStyle() == ScalarStyle.PLAIN
                && (s.getValue().isEmpty() || s.getValue().equals("~") || s.getValue().equals("null"));
    }

    private <T> Optional<T> fail(String expected) {
        problem(display() + " (expected: " + expected + ")");
        return Optional.empty();
    }
}

package io.bulwark.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A YAML mapping read key by key. Every key a binder asks for becomes known; {@link #finish()} then reports
 * the rest as unknown with a did-you-mean hint. Duplicate keys are reported when the section is opened, so a
 * new config section needs only a binder that asks for its keys and calls {@code finish()}.
 *
 * <p>YAML merge keys ({@code <<: *defaults}) are honoured one level deep, keys written in the mapping itself
 * winning, so users can share settings between upstreams with anchors.
 */
final class Section {
    private final MappingNode node;
    private final String path;
    private final Problems problems;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();

    Section(MappingNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        List<MappingNode> merged = new ArrayList<>();
        for (NodeTuple tuple : node.getValue()) {
            if (isMergeKey(tuple)) {
                merged.addAll(mergeSources(tuple.getValueNode()));
                continue;
            }
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                problems.add(tuple.getKeyNode(), path, "a complex key (expected: a plain string key)");
                continue;
            }
            NodeTuple first = entries.putIfAbsent(key.getValue(), tuple);
            if (first != null) {
                int line = first.getKeyNode().getStartMark().map(m -> m.getLine() + 1).orElse(0);
                problems.add(key, child(key.getValue()),
                        "duplicate key '" + key.getValue() + "' (first at line " + line + ")");
            }
        }
        for (MappingNode source : merged) {
            for (NodeTuple tuple : source.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && !isMergeKey(tuple)) {
                    entries.putIfAbsent(key.getValue(), tuple);
                }
            }
        }
    }

    private static boolean isMergeKey(NodeTuple tuple) {
        return tuple.getKeyNode() instanceof ScalarNode key
                && key.getScalarStyle() == ScalarStyle.PLAIN
                && key.getValue().equals("<<");
    }

    private List<MappingNode> mergeSources(Node value) {
        List<MappingNode> sources = new ArrayList<>();
        if (value instanceof MappingNode m) {
            sources.add(m);
        } else if (value instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                if (item instanceof MappingNode m) {
                    sources.add(m);
                } else {
                    problems.add(item, child("<<"), "not a mapping (expected: an alias of a mapping, e.g. *defaults)");
                }
            }
        } else {
            problems.add(value, child("<<"), "not a mapping (expected: an alias of a mapping, e.g. *defaults)");
        }
        return sources;
    }

    String path() {
        return path;
    }

    /** The whole mapping as a value, e.g. to report a problem that spans several keys. */
    Value value() {
        return new Value(node, path, problems);
    }

    /** The value under {@code key}, if present. */
    Optional<Value> optional(String key) {
        known.add(key);
        NodeTuple tuple = entries.get(key);
        return tuple == null ? Optional.empty() : Optional.of(new Value(tuple.getValueNode(), child(key), problems));
    }

    /** The value under {@code key}; its absence is a problem reported at the start of this mapping. */
    Optional<Value> required(String key, String expected) {
        Optional<Value> value = optional(key);
        if (value.isEmpty()) {
            problems.add(node, child(key), "missing (expected: " + expected + ")");
        }
        return value;
    }

    /** Every entry, for mappings whose keys are names chosen by the user (e.g. upstreams). */
    List<Entry> entries() {
        List<Entry> list = new ArrayList<>(entries.size());
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            known.add(e.getKey());
            String at = child(e.getKey());
            list.add(new Entry(
                    e.getKey(),
                    new Value(e.getValue().getKeyNode(), at, problems),
                    new Value(e.getValue().getValueNode(), at, problems)));
        }
        return list;
    }

    int integer(String key, int min, int max, int otherwise) {
        return optional(key).map(v -> v.integer(min, max).orElse(otherwise)).orElse(otherwise);
    }

    boolean bool(String key, boolean otherwise) {
        return optional(key).flatMap(Value::bool).orElse(otherwise);
    }

    Duration duration(String key, Duration min, Duration max, Duration otherwise) {
        return optional(key).flatMap(v -> v.duration(min, max)).orElse(otherwise);
    }

    int size(String key, int min, int max, int otherwise) {
        return optional(key).map(v -> v.size(min, max).orElse(otherwise)).orElse(otherwise);
    }

    String text(String key, String expected, String otherwise) {
        return optional(key).flatMap(v -> v.text(expected)).orElse(otherwise);
    }

    <E> E choice(String key, Map<String, E> byName, E otherwise) {
        return optional(key).flatMap(v -> v.choice(byName)).orElse(otherwise);
    }

    /** Reports every key no binder asked for; call after reading all keys. */
    void finish() {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                problems.add(e.getValue().getKeyNode(), child(e.getKey()),
                        "unknown key '" + e.getKey() + "' " + DidYouMean.hint(e.getKey(), known));
            }
        }
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** A key chosen by the user and its value; both carry the same path. */
    record Entry(String name, Value key, Value value) {}
}

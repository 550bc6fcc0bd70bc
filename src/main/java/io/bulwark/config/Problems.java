package io.bulwark.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects every problem of one file instead of stopping at the first, so one edit-run cycle fixes them all. */
final class Problems {
    /** Shown for problems that belong to no key, e.g. an empty file. */
    static final String ROOT = "<root>";

    private final String file;
    private final List<ConfigProblem> problems = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    /** Records a problem at the start of {@code node}. */
    void add(Node node, String path, String message) {
        add(node.getStartMark(), path, message);
    }

    /** Records a problem at {@code mark} (0-based, as SnakeYAML counts), or at 1:1 when there is none. */
    void add(Optional<Mark> mark, String path, String message) {
        add(mark.map(Mark::getLine).orElse(0) + 1, mark.map(Mark::getColumn).orElse(0) + 1, path, message);
    }

    /** Records a problem at a 1-based line and column. */
    void add(int line, int column, String path, String message) {
        problems.add(new ConfigProblem(file, line, column, path.isEmpty() ? ROOT : path, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Every problem in file order; problems at the same place keep the order they were found in. */
    List<ConfigProblem> inFileOrder() {
        return problems.stream()
                .sorted(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column))
                .toList();
    }
}

package io.bulwark.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a config cannot be used; carries every problem found, not only the first. */
public final class ConfigException extends Exception {
    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in file order. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}

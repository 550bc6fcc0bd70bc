package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

/** What the config tests assert on: every problem the loader reports for a file, as printed. */
final class ConfigProblems {
    private ConfigProblems() {}

    /** The problems of {@code yaml} loaded as {@code app.yaml}; fails the test when the file is valid. */
    static List<String> of(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("app.yaml", yaml));
        assertThat(e).as("expected problems in:\n" + yaml).isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }
}

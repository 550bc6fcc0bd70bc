package io.bulwark.cli;

import io.bulwark.config.Config;
import io.bulwark.config.ConfigException;
import io.bulwark.config.ConfigLoader;
import io.bulwark.config.ConfigProblem;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** Loads a config for a command and prints every problem in the {@code file:line:col} form. */
final class ConfigFiles {
    private ConfigFiles() {}

    /** The config, or {@code null} after printing why it cannot be used. */
    static Config loadOrReport(Path file, PrintStream err) {
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                err.println(p);
            }
            err.println(file + ": " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems"));
            return null;
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            return null;
        }
    }
}

package io.bulwark.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads a YAML config file into a validated {@link Config}, or reports every problem in it at once. */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * Loads and validates {@code file} (UTF-8).
     *
     * @throws ConfigException listing every problem, in file order, as {@code file:line:col: path: message}
     * @throws IOException if the file cannot be read
     */
    public static Config load(Path file) throws ConfigException, IOException {
        return parse(file.toString(), Files.readString(file));
    }

    /**
     * Validates YAML text as if it were read from {@code fileName}; {@link Config#source()} is that path.
     *
     * @throws ConfigException listing every problem, in file order, as {@code file:line:col: path: message}
     */
    public static Config parse(String fileName, String yamlText) throws ConfigException {
        Problems problems = new Problems(fileName);
        Optional<Node> root = YamlComposer.compose(fileName, yamlText, problems);
        Config config = root.map(r -> ConfigBinder.bind(r, Path.of(fileName), problems)).orElse(null);
        if (!problems.isEmpty() || config == null) {
            throw new ConfigException(problems.inFileOrder());
        }
        return config;
    }
}

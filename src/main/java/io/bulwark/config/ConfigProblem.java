package io.bulwark.config;

/**
 * One thing wrong with a config file, located to the character.
 *
 * @param file the file as named on the command line
 * @param line 1-based
 * @param column 1-based
 * @param path the key path, e.g. {@code upstreams.app.servers[2].weight}
 * @param message what is wrong, with what was expected
 */
public record ConfigProblem(String file, int line, int column, String path, String message) {
    /** {@code FILE:LINE:COL: path: message}, the form editors and CI logs understand. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + path + ": " + message;
    }
}

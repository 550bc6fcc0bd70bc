package io.bulwark.config;

/**
 * Where and how access log lines are written.
 *
 * @param path {@code stdout} or a file path
 */
public record AccessLogConfig(Format format, String path) {
    /** Line formats. */
    public enum Format {
        COMBINED,
        JSON,
        OFF
    }
}

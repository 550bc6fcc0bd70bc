package io.bulwark.config;

/**
 * A password, token or key from the config: written there, or read from a file or an environment variable
 * when the config is loaded. It never shows in a log, a message or a printed config.
 */
public final class Secret {
    private final String value;
    private final String origin;

    Secret(String value, String origin) {
        this.value = value;
        this.origin = origin;
    }

    /** The secret itself, for the one place that sends it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Where it came from ({@code (secret from env SMTP_PASSWORD)}), never what it is. */
    @Override
    public String toString() {
        return "(secret " + origin + ")";
    }
}

package io.bulwark.config;

/** How an active health check talks to a server, by its config name. */
public enum CheckType {
    /** An HTTP/1.1 request whose status (and optionally body) decides. */
    HTTP("http"),
    /** A TCP connect: the server is up if it accepts. */
    TCP("tcp"),
    /** A Nagios-compatible plugin run as a process; its exit code decides. */
    EXEC("exec");

    private final String configName;

    CheckType(String configName) {
        this.configName = configName;
    }

    /** The name as written in YAML. */
    public String configName() {
        return configName;
    }
}

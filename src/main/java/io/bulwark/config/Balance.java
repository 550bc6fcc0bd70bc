package io.bulwark.config;

/** The load-balancing algorithms an upstream may use, by their config names. */
public enum Balance {
    ROUND_ROBIN("round_robin"),
    RANDOM("random"),
    LEAST_CONN("least_conn"),
    IP_HASH("ip_hash");

    private final String configName;

    Balance(String configName) {
        this.configName = configName;
    }

    /** The name as written in YAML. */
    public String configName() {
        return configName;
    }
}

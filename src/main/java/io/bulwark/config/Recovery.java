package io.bulwark.config;

/** What happens when a server that active checks took down passes them again. */
public enum Recovery {
    /** It takes traffic again as soon as it has passed {@code rise} checks. */
    AUTO("auto"),
    /** It is held out of rotation until an operator enables it, so a flapping box is looked at first. */
    MANUAL("manual");

    private final String configName;

    Recovery(String configName) {
        this.configName = configName;
    }

    /** The name as written in YAML. */
    public String configName() {
        return configName;
    }
}

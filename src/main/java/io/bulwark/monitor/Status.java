package io.bulwark.monitor;

/**
 * A check's result as Nagios reads a plugin's exit code (Nagios plugin guidelines, "Plugin Return Codes"):
 * 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 */
public enum Status {
    OK(0),
    WARNING(1),
    CRITICAL(2),
    UNKNOWN(3);

    private final int code;

    Status(int code) {
        this.code = code;
    }

    /** The plugin exit code for this status. */
    public int code() {
        return code;
    }

    /** The status a plugin's exit code means; any code outside 0..3 is UNKNOWN, as Nagios reads it. */
    public static Status ofExitCode(int code) {
        return switch (code) {
            case 0 -> OK;
            case 1 -> WARNING;
            case 2 -> CRITICAL;
            default -> UNKNOWN;
        };
    }

    /** Whether this is a problem (anything but OK). */
    public boolean problem() {
        return this != OK;
    }
}

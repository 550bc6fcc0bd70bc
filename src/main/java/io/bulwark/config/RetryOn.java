package io.bulwark.config;

/** A failure a retry block may retry on; see {@link RetryConfig#retryOn()}. */
public enum RetryOn {
    /** The connection could not be made (refused, connect timeout): the request never left the gateway. */
    CONNECT_FAILURE("connect_failure"),
    /** The server closed or reset the connection before a complete response head. */
    RESET("reset"),
    /** The server did not answer within the per-try timeout. */
    TIMEOUT("timeout"),
    /** The server answered 502; the answer is discarded unseen when another server is tried. */
    HTTP_502("http_502"),
    /** The server answered 503. */
    HTTP_503("http_503"),
    /** The server answered 504. */
    HTTP_504("http_504");

    private final String configName;

    RetryOn(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The condition for a response status, or {@code null} when no condition names it. */
    public static RetryOn ofStatus(int status) {
        return switch (status) {
            case 502 -> HTTP_502;
            case 503 -> HTTP_503;
            case 504 -> HTTP_504;
            default -> null;
        };
    }
}

package io.bulwark.upstream;

/** Why a check passed or failed, by layer, so logs and the dashboard can say why a server is down. */
public enum CauseKind {
    L4_OK("L4 ok", true),
    L4_TIMEOUT("L4 timeout", false),
    L4_REFUSED("L4 refused", false),
    L4_RESET("L4 reset", false),
    /** Any other connect error (no route, unresolvable host); the detail says which. */
    L4_ERROR("L4 error", false),
    L7_OK("L7 ok", true),
    L7_TIMEOUT("L7 timeout", false),
    L7_BAD_STATUS("L7 bad status", false),
    L7_BODY_MISMATCH("L7 body mismatch", false),
    L7_MALFORMED("L7 malformed response", false),
    EXEC_OK("exec OK", true),
    /** Nagios WARNING: degraded but serving, so it counts as a pass; the cause keeps the warning visible. */
    EXEC_WARNING("exec WARNING", true),
    EXEC_CRITICAL("exec CRITICAL", false),
    EXEC_UNKNOWN("exec UNKNOWN", false),
    PASSIVE_CONNECT_FAILURE("passive connect failure", false),
    PASSIVE_RESET("passive reset", false),
    PASSIVE_TIMEOUT("passive timeout", false),
    PASSIVE_STATUS("passive status", false),
    /** Success rate far below the peers' over an outlier window; the detail carries the numbers. */
    OUTLIER_SUCCESS_RATE("outlier success rate", false),
    /** Mean latency far above the peers' over an outlier window; the detail carries the numbers. */
    OUTLIER_LATENCY("outlier latency", false),
    /** An ejection's deadline passed. */
    EJECTION_EXPIRED("ejection expired", true),
    /** An operator (or code standing in for one) changed the state. */
    MANUAL("manual", true);

    private final String label;
    private final boolean passing;

    CauseKind(String label, boolean passing) {
        this.label = label;
        this.passing = passing;
    }

    /** How it reads in a log line, e.g. {@code L7 bad status}. */
    public String label() {
        return label;
    }

    /** Whether a result of this kind counts as a success for rise/fall. */
    public boolean passing() {
        return passing;
    }
}

package io.bulwark.proxy;

/** Why a failure that a retry block names was not retried; each refusal is counted in {@link RetryStats}. */
public enum Refusal {
    /** The request may have reached the server and its method is not idempotent (no Idempotency-Key either). */
    NON_IDEMPOTENT("non_idempotent"),
    /** The request body was larger than retry_buffer, so it cannot be sent again. */
    BODY_TOO_LARGE("body_too_large"),
    /** Part of the response already reached the client. */
    RESPONSE_STARTED("response_started"),
    /** The upstream's retry budget for the last 10 s is spent. */
    BUDGET_EXHAUSTED("budget_exhausted"),
    /** Every eligible server was tried already. */
    NO_SERVER_LEFT("no_server_left"),
    /** The request used all its attempts. */
    ATTEMPTS_EXHAUSTED("attempts_exhausted"),
    /** The retry block's overall timeout has passed. */
    DEADLINE("deadline");

    private final String tag;

    Refusal(String tag) {
        this.tag = tag;
    }

    /** The metric label. */
    public String tag() {
        return tag;
    }
}

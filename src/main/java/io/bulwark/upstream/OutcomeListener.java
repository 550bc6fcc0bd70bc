package io.bulwark.upstream;

/**
 * Receives the outcome of every attempt the data plane makes against a server, from any event loop. Lives
 * here so the proxy can report passive health signals without depending on the health package, which
 * implements it.
 */
public interface OutcomeListener {
    /** Ignores every outcome. */
    OutcomeListener NONE = new OutcomeListener() {
        @Override
        public void onSuccess(Server server, long latencyNanos) {}

        @Override
        public void onResponse(Server server, int status, long latencyNanos) {}

        @Override
        public void onFailure(Server server, FailureKind kind) {}
    };

    /** An attempt completed without a response status to judge (e.g. a protocol switch). */
    void onSuccess(Server server, long latencyNanos);

    /** A response head arrived; the listener decides whether its status counts as a failure. */
    void onResponse(Server server, int status, long latencyNanos);

    /** The attempt failed before a complete response head. */
    void onFailure(Server server, FailureKind kind);
}

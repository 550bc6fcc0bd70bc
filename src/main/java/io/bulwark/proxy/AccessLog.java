package io.bulwark.proxy;

/** Receives one record per finished request; implementations must not block the calling event loop. */
public interface AccessLog extends AutoCloseable {
    /** Accepts the record for writing; never blocks. */
    void log(AccessRecord record);

    /** Whether records are written at all; callers skip building them when not. */
    default boolean enabled() {
        return true;
    }

    @Override
    default void close() {}

    /** Writes nothing. */
    static AccessLog off() {
        return new AccessLog() {
            @Override
            public void log(AccessRecord record) {}

            @Override
            public boolean enabled() {
                return false;
            }
        };
    }
}

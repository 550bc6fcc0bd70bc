package io.bulwark.upstream;

/**
 * One value of one of a server's independent state dimensions: operational {@link Health} (checks own it),
 * {@link AdminState} (the operator owns it) and {@link Ejection} (passive detection owns it).
 */
public sealed interface ServerState permits Health, AdminState, Ejection {
    /** The name as it appears in logs and events, e.g. {@code DOWN}. */
    String name();
}

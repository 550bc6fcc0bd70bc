package io.bulwark.upstream;

/** A server's operational health as active checks last decided it. */
public enum Health implements ServerState {
    /** Passing checks (or none configured). */
    UP,
    /** Failed {@code fall} checks in a row. */
    DOWN,
    /** Passed {@code rise} checks after being down, but {@code recovery: manual} waits for an operator. */
    HELD
}

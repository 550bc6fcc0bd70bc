package io.bulwark.upstream;

/** How a request to a server failed at the transport level, as the data plane reports it. */
public enum FailureKind {
    /** The connection could not be established: refused, unreachable, or connect timeout. */
    CONNECT_FAILURE,
    /** The connection was closed or reset before a complete response head. */
    RESET,
    /** The server made no progress within the read (or per-try) timeout. */
    TIMEOUT
}

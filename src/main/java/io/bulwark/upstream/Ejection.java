package io.bulwark.upstream;

/** Whether passive detection has taken a server out of rotation until a deadline. */
public enum Ejection implements ServerState {
    /** Not ejected. */
    SERVING,
    /** Ejected until a deadline, after failing real requests. */
    EJECTED
}

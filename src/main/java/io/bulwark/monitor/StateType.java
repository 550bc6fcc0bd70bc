package io.bulwark.monitor;

/** Whether a check's state is still being confirmed by retries (SOFT) or settled and worth telling people (HARD). */
public enum StateType {
    SOFT,
    HARD
}

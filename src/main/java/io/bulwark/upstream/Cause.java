package io.bulwark.upstream;

import java.util.EnumMap;
import java.util.Map;

/**
 * A layered cause: its kind, an HTTP status where one applies (else 0) and a detail such as a plugin's first
 * output line (else empty).
 */
public record Cause(CauseKind kind, int status, String detail) {
    private static final Map<CauseKind, Cause> PLAIN = new EnumMap<>(CauseKind.class);

    static {
        for (CauseKind k : CauseKind.values()) {
            PLAIN.put(k, new Cause(k, 0, ""));
        }
    }

    public Cause {
        detail = detail == null ? "" : detail;
    }

    /** A cause without status or detail; shared instances, so reporting one does not allocate. */
    public static Cause of(CauseKind kind) {
        return PLAIN.get(kind);
    }

    public static Cause of(CauseKind kind, String detail) {
        return new Cause(kind, 0, detail);
    }

    public static Cause status(CauseKind kind, int status) {
        return new Cause(kind, status, "");
    }

    /** Whether this result counts as a success for rise/fall. */
    public boolean passing() {
        return kind.passing();
    }

    /** e.g. {@code L7 bad status 503}, {@code exec CRITICAL: CRITICAL - foo}, {@code L4 refused}. */
    public String describe() {
        String s = status == 0 ? kind.label() : kind.label() + " " + status;
        return detail.isEmpty() ? s : s + ": " + detail;
    }

    @Override
    public String toString() {
        return describe();
    }
}

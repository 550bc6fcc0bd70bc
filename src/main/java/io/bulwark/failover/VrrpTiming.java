package io.bulwark.failover;

/**
 * The timer arithmetic of RFC 5798 §6.1 and RFC 3768 §6.1, in nanoseconds. The RFCs state it in
 * centiseconds (v3) or seconds (v2) without saying how to round; like keepalived (which works in
 * microseconds) we keep the fraction, so 3 × 100 ms + (156 × 100 ms) / 256 is 360.9375 ms, not 360 ms.
 */
public final class VrrpTiming {
    /** Nanoseconds in a centisecond, the unit of v3's interval field. */
    public static final long CENTISECOND_NANOS = 10_000_000L;

    private VrrpTiming() {}

    /**
     * Skew_Time: v3 {@code ((256 − priority) × Master_Adver_Interval) / 256}; v2 {@code (256 − priority) / 256}
     * seconds regardless of the interval.
     */
    public static long skewNanos(VrrpVersion version, int priority, long masterAdverIntervalNanos) {
        long base = version == VrrpVersion.V3 ? masterAdverIntervalNanos : 1_000_000_000L;
        return (256 - priority) * base / 256;
    }

    /** Master_Down_Interval: {@code 3 × Master_Adver_Interval + Skew_Time}. */
    public static long masterDownNanos(VrrpVersion version, int priority, long masterAdverIntervalNanos) {
        return 3 * masterAdverIntervalNanos + skewNanos(version, priority, masterAdverIntervalNanos);
    }

    /** {@code nanos} as milliseconds with one decimal, for log lines. */
    static String millis(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }
}

package io.bulwark.failover;

/** The two VRRP versions spoken on the wire: v2 (RFC 3768) and v3 (RFC 5798). */
public enum VrrpVersion {
    V2(2),
    V3(3);

    private final int number;

    VrrpVersion(int number) {
        this.number = number;
    }

    /** The value of the 4-bit version field. */
    public int number() {
        return number;
    }

    /** The version with that number; only call with 2 or 3. */
    public static VrrpVersion of(int number) {
        return switch (number) {
            case 2 -> V2;
            case 3 -> V3;
            default -> throw new IllegalArgumentException("VRRP version: " + number + " (expected: 2 or 3)");
        };
    }
}

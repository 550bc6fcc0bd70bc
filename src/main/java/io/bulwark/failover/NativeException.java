package io.bulwark.failover;

/** A failed system call, with its errno: checked, so every caller decides what the failure means for VRRP. */
final class NativeException extends Exception {
    private final int errno;

    NativeException(String call, int errno) {
        super(call + " failed: " + Libc.errnoName(errno));
        this.errno = errno;
    }

    int errno() {
        return errno;
    }
}

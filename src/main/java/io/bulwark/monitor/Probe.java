package io.bulwark.monitor;

import java.time.Duration;

/**
 * One kind of check: takes its measure and judges it against its levels. It may block (a plugin, a connect),
 * so the monitor runs it on a virtual thread of its own, never on an event loop.
 */
@FunctionalInterface
public interface Probe {
    /**
     * Runs the check once, within {@code timeout}. A measure that cannot be taken is a result too (UNKNOWN or
     * CRITICAL, with the reason as its text), never an exception.
     *
     * @throws InterruptedException when the monitor is stopping
     */
    CheckResult run(Duration timeout) throws InterruptedException;
}

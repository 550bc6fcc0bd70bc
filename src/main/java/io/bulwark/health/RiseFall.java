package io.bulwark.health;

import io.bulwark.config.HealthCheckConfig;
import io.bulwark.config.Recovery;
import io.bulwark.upstream.Cause;
import io.bulwark.upstream.Health;
import io.bulwark.upstream.Server;

/**
 * HAProxy's rise/fall counting for one server: {@code fall} failures in a row take it DOWN, {@code rise}
 * passes in a row bring it back (to HELD instead of UP under {@code recovery: manual}). It also says when
 * to check next: {@code fast_interval} while a change is being confirmed, {@code down_interval} while down.
 * Not thread-safe: one server's results are applied on one thread.
 */
final class RiseFall {
    private final Server server;
    private final int rise;
    private final int fall;
    private final boolean manual;
    private final long intervalNanos;
    private final long fastNanos;
    private final long downNanos;
    private int passes;
    private int failures;
    private long seenVersion;

    RiseFall(Server server, HealthCheckConfig config, Recovery recovery) {
        this.server = server;
        this.rise = config.rise();
        this.fall = config.fall();
        this.manual = recovery == Recovery.MANUAL;
        this.intervalNanos = config.interval().toNanos();
        this.fastNanos = config.fastInterval().toNanos();
        this.downNanos = config.downInterval().toNanos();
        this.seenVersion = server.healthVersion();
    }

    /** Applies one check result; returns the delay until the next check, before jitter. */
    long apply(Cause result) {
        Health health = server.health();
        if (server.healthVersion() != seenVersion) {
            // Someone else (an operator, healthy(false)) moved it: counts toward the old state are void.
            passes = 0;
            failures = 0;
        }
        long next = result.passing() ? pass(health, result) : fail(health, result);
        seenVersion = server.healthVersion();
        return next;
    }

    private long pass(Health health, Cause result) {
        failures = 0;
        if (health != Health.DOWN) {
            server.lastCause(result);
            return intervalNanos;
        }
        if (++passes < rise) {
            server.lastCause(result);
            return fastNanos;
        }
        server.health(manual ? Health.HELD : Health.UP, result, "(" + passes + "/" + rise + ")");
        passes = 0;
        return intervalNanos;
    }

    private long fail(Health health, Cause result) {
        passes = 0;
        if (health == Health.DOWN) {
            server.lastCause(result);
            return downNanos;
        }
        if (++failures < fall) {
            server.lastCause(result);
            return fastNanos;
        }
        server.health(Health.DOWN, result, "(" + failures + "/" + fall + ")");
        failures = 0;
        return downNanos;
    }

    /** The delay before the first check's result is known: a normal interval. */
    long intervalNanos() {
        return intervalNanos;
    }
}

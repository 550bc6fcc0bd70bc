package io.bulwark.health;

import io.bulwark.upstream.Cause;
import io.bulwark.upstream.Server;
import java.util.function.Consumer;

/** One kind of active check. A probe never blocks its caller and reports exactly one cause per run. */
interface Probe {
    /** Checks {@code server}, calling {@code done} once, from any thread, with the layered cause. */
    void run(Server server, Consumer<Cause> done);
}

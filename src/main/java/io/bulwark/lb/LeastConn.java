package io.bulwark.lb;

import io.bulwark.upstream.Server;
import java.util.List;

/**
 * Fewest requests in flight relative to weight. Ties go to the first found from a start that moves on
 * every pick, so equally loaded servers share the traffic instead of the first one taking it all.
 *
 * <p>In-flight counts change on every event loop, so this instance cannot keep them ordered as HAProxy
 * does; a pick reads them all, O(n), except that it stops at the first idle server.
 */
final class LeastConn implements LoadBalancer {
    private final Server[] servers;
    private final int[] weights;
    private int start;

    LeastConn(List<Server> servers) {
        this.servers = servers.toArray(new Server[0]);
        this.weights = new int[this.servers.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = this.servers[i].weight();
        }
    }

    @Override
    public Server pick(long affinityKey, Tried tried) {
        int n = servers.length;
        int first = start;
        start = first + 1 == n ? 0 : first + 1;
        int best = -1;
        long bestInFlight = 0;
        int i = first;
        for (int k = 0; k < n; k++) {
            Server server = servers[i];
            if (Usable.test(server, tried)) {
                long inFlight = server.inFlight();
                if (inFlight == 0) {
                    // Nothing beats an idle server, and the rotating start already shares the idle ones:
                    // at light load a pick ends here instead of reading every server.
                    return server;
                }
                // inFlight/weight < best/bestWeight, cross-multiplied: no division, no rounding.
                if (best < 0 || inFlight * weights[best] < bestInFlight * weights[i]) {
                    best = i;
                    bestInFlight = inFlight;
                }
            }
            i = i + 1 == n ? 0 : i + 1;
        }
        return best < 0 ? null : servers[best];
    }
}

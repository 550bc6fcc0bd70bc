package io.bulwark.lb;

import io.bulwark.upstream.Server;

/** The one test every algorithm applies to a candidate, kept in one place so they cannot drift apart. */
final class Usable {
    private Usable() {}

    static boolean test(Server server, Tried tried) {
        return server.eligible() && !tried.contains(server);
    }
}

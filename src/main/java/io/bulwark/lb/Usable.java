package io.bulwark.lb;

import io.bulwark.upstream.Server;

/** The one test every algorithm applies to a candidate, kept in one place so they cannot drift apart. */
final class Usable {
    private Usable() {}

    static boolean test(Server server, Tried tried) {
        // Most picks are first attempts: skip the interface call when nothing can have been tried.
        return server.eligible() && (tried == Tried.NONE || !tried.contains(server));
    }
}

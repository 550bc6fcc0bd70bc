package io.bulwark.lb;

import io.bulwark.upstream.Server;

/** The servers a request has already tried, so a retry goes elsewhere while another server is left. */
@FunctionalInterface
public interface Tried {
    /** Nothing tried yet. */
    Tried NONE = s -> false;

    boolean contains(Server server);
}

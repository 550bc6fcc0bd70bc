package io.bulwark.proxy;

import io.bulwark.config.RouteConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a request's host and path to an upstream. The most specific host pattern that has a matching
 * prefix wins (exact host, then the longest {@code *.suffix}, then {@code *}); within it the longest
 * path prefix. Immutable, shared by all event loops.
 */
final class Router {
    /** What a route resolves to: the upstream's position in the server's upstream table. */
    record Target(String route, String upstream, int upstreamIndex) {}

    private record Entry(String host, int hostRank, String prefix, Target target) {}

    private final Entry[] entries;

    Router(List<RouteConfig> routes, Map<String, Integer> upstreamIndex) {
        List<Entry> list = new ArrayList<>(routes.size());
        for (RouteConfig r : routes) {
            Integer index = upstreamIndex.get(r.upstream());
            if (index == null) {
                throw new IllegalArgumentException(
                        "route " + r.name() + ": upstream '" + r.upstream() + "' does not exist");
            }
            String host = r.host().toLowerCase(Locale.ROOT);
            // Exact hosts outrank any wildcard; longer wildcard suffixes outrank shorter ones.
            int rank = host.equals("*") ? 0 : host.startsWith("*.") ? host.length() : Integer.MAX_VALUE;
            String pattern = host.startsWith("*.") ? host.substring(1) : host;
            list.add(new Entry(pattern, rank, r.pathPrefix(), new Target(r.name(), r.upstream(), index)));
        }
        list.sort(Comparator.comparingInt(Entry::hostRank)
                .reversed()
                .thenComparing(Comparator.comparingInt((Entry e) -> e.prefix().length()).reversed()));
        this.entries = list.toArray(Entry[]::new);
    }

    /**
     * The target for a request, or {@code null} when nothing matches.
     *
     * @param host the host the request is for (any case, maybe with a port), or {@code null}
     * @param path holds the request's path (normalised: see {@link RequestTarget}) from {@code from} to
     *     {@code to}; nothing else of it is looked at
     */
    Target route(String host, String path, int from, int to) {
        String h = null; // normalized only when a route names a host: it costs two copies of the string
        for (Entry e : entries) {
            if (h == null && e.hostRank() != 0) {
                h = normalizeHost(host);
            }
            if (hostMatches(e, h) && to - from >= e.prefix().length() && path.startsWith(e.prefix(), from)) {
                return e.target();
            }
        }
        return null;
    }

    /** The target for a whole path, as {@link #route(String, String, int, int)}. */
    Target route(String host, String path) {
        return route(host, path, 0, path.length());
    }

    private static boolean hostMatches(Entry e, String host) {
        if (e.hostRank() == 0) {
            return true;
        }
        if (e.hostRank() == Integer.MAX_VALUE) {
            return e.host().equals(host);
        }
        // "*.example.com" is stored as ".example.com": any subdomain, not the bare domain.
        return host.length() > e.host().length() && host.endsWith(e.host());
    }

    static String normalizeHost(String host) {
        if (host == null) {
            return "";
        }
        int end = host.length();
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            end = close < 0 ? end : close + 1;
        } else {
            int colon = host.lastIndexOf(':');
            end = colon < 0 ? end : colon;
        }
        return host.substring(0, end).toLowerCase(Locale.ROOT);
    }
}

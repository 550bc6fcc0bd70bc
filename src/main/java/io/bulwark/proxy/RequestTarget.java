package io.bulwark.proxy;

import io.bulwark.config.PathRules;
import io.bulwark.core.PathNormalizer;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A request's target (RFC 9112 §3.2) read for routing and forwarding, under its listener's {@link PathRules}:
 * the host the request is for, the path routes match, and the target the server gets.
 * <ul>
 *   <li>origin form ({@code /path?query}): the Host header names the host; the path is normalised.
 *   <li>absolute form ({@code http://host/path?query}): the host comes from the target and the received Host
 *       is ignored (§3.2.2); the server gets the origin form with that host as its Host.
 *   <li>asterisk form ({@code OPTIONS *}): asks about the server as a whole, so it is routed as the host's
 *       "/" and forwarded unchanged (§3.2.4).
 * </ul>
 * Anything else (the authority form of CONNECT, a fragment, a malformed percent-encoding, a path above the
 * root) is refused. One per client connection, reused request after request: the common request, in origin
 * form with a normal path, is read without copying anything.
 */
final class RequestTarget {
    private static final String ROOT = "/";

    private final PathRules rules;
    private String host;
    private String path;
    private int pathFrom;
    private int pathTo;
    private String authority;
    private String forward;

    RequestTarget(PathRules rules) {
        this.rules = rules;
    }

    /**
     * Reads {@code target}; returns false when the request must be refused with 400.
     *
     * @param hostHeader the Host field as received, or {@code null}
     * @param options whether the method is OPTIONS, the only one with an asterisk form
     */
    boolean read(String target, String hostHeader, boolean options) {
        authority = null;
        forward = null;
        host = hostHeader;
        if (target.isEmpty() || target.indexOf('#') >= 0) {
            return false; // a fragment is never part of a request target
        }
        char first = target.charAt(0);
        if (first == '/') {
            int query = target.indexOf('?');
            return path(target, 0, query < 0 ? target.length() : query, false);
        }
        if (first == '*' && target.length() == 1) {
            if (!options) {
                return false;
            }
            path = ROOT;
            pathFrom = 0;
            pathTo = 1;
            return true;
        }
        return absolute(target);
    }

    /** {@code scheme://authority[path][?query]} with scheme http or https (any case) and no user info. */
    private boolean absolute(String target) {
        int colon = target.indexOf("://");
        if (colon != 4 && colon != 5 || !target.regionMatches(true, 0, "https", 0, colon)) {
            return false;
        }
        int from = colon + 3;
        int end = from;
        while (end < target.length() && target.charAt(end) != '/' && target.charAt(end) != '?') {
            end++;
        }
        if (end == from || target.indexOf('@', from) >= 0 && target.indexOf('@', from) < end) {
            return false;
        }
        authority = target.substring(from, end);
        host = authority;
        int query = target.indexOf('?', end);
        int pathEnd = query < 0 ? target.length() : query;
        if (end == pathEnd) {
            // "http://host" and "http://host?q" ask for "/" (RFC 9112 §3.2.1).
            forward = ROOT + target.substring(pathEnd);
            path = ROOT;
            pathFrom = 0;
            pathTo = 1;
            return true;
        }
        return path(target, end, pathEnd, true);
    }

    /**
     * Reads the path {@code target[from, to)}; what follows {@code to} (the query) passes as it came. The
     * server gets the target rewritten when the path changed and the rules forward it normalised, or when
     * {@code rewrite} (absolute form) asks for the origin form anyway.
     */
    private boolean path(String target, int from, int to, boolean rewrite) {
        int scan = rules.raw() ? PathNormalizer.NORMAL
                : PathNormalizer.scan(target, from, to, rules.normalize(), rules.mergeSlashes());
        if (scan == PathNormalizer.MALFORMED) {
            return false;
        }
        if (scan == PathNormalizer.NORMAL) {
            path = target;
            pathFrom = from;
            pathTo = to;
            if (rewrite) {
                forward = target.substring(from);
            }
            return true;
        }
        String normal = PathNormalizer.normalized(target, from, to, rules.normalize(), rules.mergeSlashes());
        if (normal == null) {
            return false;
        }
        path = normal;
        pathFrom = 0;
        pathTo = normal.length();
        if (rules.forward() == PathRules.Forward.NORMALIZED) {
            forward = normal + target.substring(to);
        } else if (rewrite) {
            forward = target.substring(from);
        }
        return true;
    }

    /** Gives a request read into a header map the target, and in absolute form the Host, the server gets. */
    void rewrite(HttpRequest req) {
        if (authority != null) {
            req.headers().set(HttpHeaderNames.HOST, authority);
        }
        if (forward != null) {
            req.setUri(forward);
        }
    }

    /** The host to route by: the target's in absolute form, else the Host header (maybe {@code null}). */
    String host() {
        return host;
    }

    /** The string holding the path routes match, from {@link #pathFrom} to {@link #pathTo}. */
    String path() {
        return path;
    }

    int pathFrom() {
        return pathFrom;
    }

    int pathTo() {
        return pathTo;
    }

    /** In absolute form, the authority the server gets as Host; {@code null} otherwise. */
    String authority() {
        return authority;
    }

    /** The target the server gets instead of the one received, or {@code null} to send that one. */
    String forward() {
        return forward;
    }
}

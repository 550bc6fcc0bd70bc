package io.bulwark.config;

import io.bulwark.core.PathNormalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Binds {@code routes:} and checks each names an upstream of the same file. */
final class RouteBinder {
    static final String ANY_HOST = "*";
    static final String DEFAULT_PATH_PREFIX = "/";

    private static final String LABEL = "[a-z0-9]([a-z0-9-]*[a-z0-9])?";
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?" + LABEL + "(\\." + LABEL + ")*");
    private static final String HOST_EXPECTED = "'*', a host name like example.com, or '*.example.com'";
    // Query and fragment are not part of the path the router matches, and whitespace is never in a request path.
    private static final Pattern PATH_PREFIX = Pattern.compile("/[^\\s?#]*");
    private static final String PATH_EXPECTED = "a path starting with '/', without spaces, '?' or '#'";

    private RouteBinder() {}

    /**
     * @param upstreams names of the upstreams bound from the same file, or {@code null} when that section is
     *     broken, in which case references are not checked (every route would be reported otherwise)
     */
    static List<RouteConfig> bindAll(Value routes, Set<String> upstreams) {
        List<RouteConfig> bound = new ArrayList<>();
        Map<String, String> nameAt = new HashMap<>();
        Map<String, String> matchOwner = new HashMap<>();
        List<Value> items = routes.list(true, "a list of routes with upstream").orElse(List.of());
        for (int i = 0; i < items.size(); i++) {
            int index = i;
            items.get(i).section("a route mapping with upstream").ifPresent(s -> {
                RouteConfig route = bind(s, index, upstreams);
                bound.add(route);
                String first = nameAt.putIfAbsent(route.name(), s.path());
                if (first != null) {
                    s.optional("name").orElse(s.value())
                            .problem("duplicate route name '" + route.name() + "' (first at " + first + ")");
                }
                if (route.host() != null && route.pathPrefix() != null) {
                    String owner = matchOwner.putIfAbsent(route.host() + " " + route.pathPrefix(), route.name());
                    if (owner != null) {
                        // The second could never match: the router would always pick the first.
                        s.value().problem("host '" + route.host() + "' and path_prefix '" + route.pathPrefix()
                                + "' duplicates route '" + owner + "'");
                    }
                }
            });
        }
        return bound;
    }

    private static RouteConfig bind(Section s, int index, Set<String> upstreams) {
        RouteConfig route = new RouteConfig(
                s.optional("name").map(v -> v.matching(Names.PATTERN, Names.EXPECTED).orElse(null))
                        .orElse("route-" + index),
                s.optional("host").map(v -> v.text(HOST_EXPECTED).flatMap(h -> host(v, h)).orElse(null))
                        .orElse(ANY_HOST),
                s.optional("path_prefix").map(v -> v.matching(PATH_PREFIX, PATH_EXPECTED)
                                .filter(p -> normal(v, p)).orElse(null))
                        .orElse(DEFAULT_PATH_PREFIX),
                s.required("upstream", "the name of an upstream")
                        .flatMap(v -> v.text("the name of an upstream").filter(u -> exists(v, u, upstreams)))
                        .orElse(null),
                s.optional("retry").flatMap(RetryBinder::bind));
        s.finish();
        return route;
    }

    private static Optional<String> host(Value v, String text) {
        String host = text.toLowerCase(Locale.ROOT);
        if (host.equals(ANY_HOST) || HOST.matcher(host).matches()) {
            return Optional.of(host);
        }
        v.problem(v.display() + " (expected: " + HOST_EXPECTED + ")");
        return Optional.empty();
    }

    /**
     * Requests are matched on their normalised path (see {@link PathNormalizer}), so a prefix out of that form
     * could never match: it is refused with the form it should have.
     */
    private static boolean normal(Value v, String prefix) {
        int scan = PathNormalizer.scan(prefix, 0, prefix.length(), true, false);
        if (scan == PathNormalizer.NORMAL) {
            return true;
        }
        String normal = scan == PathNormalizer.MALFORMED ? null
                : PathNormalizer.normalized(prefix, 0, prefix.length(), true, false);
        v.problem(v.display() + (normal == null
                ? " has no normal form: a '%' without two hex digits, or '..' above the root (expected: " + PATH_EXPECTED + ")"
                : " is not in normal form; requests are matched on their normalised path (expected: " + normal + ")"));
        return false;
    }

    private static boolean exists(Value v, String upstream, Set<String> upstreams) {
        if (upstreams == null || upstreams.contains(upstream)) {
            return true;
        }
        v.problem("unknown upstream '" + upstream + "' "
                + (upstreams.isEmpty() ? "(expected: an upstream defined under upstreams)"
                        : DidYouMean.hint(upstream, upstreams)));
        return false;
    }
}

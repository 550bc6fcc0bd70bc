package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.PathRules;
import io.bulwark.config.RouteConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Routing as a request meets it: its target read as {@link RequestTarget} reads it, then matched. */
class RouterTest {
    final Router router = new Router(List.of(
                    new RouteConfig("any", "*", "/", "fallback"),
                    new RouteConfig("wild", "*.example.com", "/", "wild"),
                    new RouteConfig("deep", "*.api.example.com", "/", "deep"),
                    new RouteConfig("exact", "www.example.com", "/", "exact"),
                    new RouteConfig("exact-api", "www.example.com", "/api", "exact-api")),
            Map.of("fallback", 0, "wild", 1, "deep", 2, "exact", 3, "exact-api", 4));

    private String route(String host, String uri) {
        return upstream(router, host, uri);
    }

    private static String upstream(Router router, String host, String uri) {
        RequestTarget target = new RequestTarget(PathRules.DEFAULT);
        assertThat(target.read(uri, host, false)).as(uri).isTrue();
        Router.Target t = router.route(target.host(), target.path(), target.pathFrom(), target.pathTo());
        return t == null ? null : t.upstream();
    }

    @Test
    void exactHostBeatsWildcardsAndLongestPrefixWins() {
        assertThat(route("www.example.com", "/api/v1")).isEqualTo("exact-api");
        assertThat(route("WWW.Example.COM:8080", "/apix")).isEqualTo("exact-api");
        assertThat(route("www.example.com", "/ap")).isEqualTo("exact");
        assertThat(route("www.example.com", "/x?/api")).isEqualTo("exact");
    }

    @Test
    void longerWildcardSuffixWinsAndTheBareDomainIsNotASubdomain() {
        assertThat(route("v1.api.example.com", "/")).isEqualTo("deep");
        assertThat(route("a.example.com", "/")).isEqualTo("wild");
        assertThat(route("example.com", "/")).isEqualTo("fallback");
        assertThat(route(null, "/")).isEqualTo("fallback");
        assertThat(route("[::1]:80", "/")).isEqualTo("fallback");
    }

    @Test
    void queryIsNoPartOfThePath() {
        Router r = new Router(List.of(new RouteConfig("api", "*", "/api", "a")), Map.of("a", 0));
        assertThat(upstream(r, "h", "/?x=/api")).isNull();
        assertThat(upstream(r, "h", "/api?x=1")).isEqualTo("a");
    }

    @Test
    void absoluteFormTargetsMatchOnTheirHostAndPath() {
        assertThat(route("www.example.com", "http://www.example.com/api/x")).isEqualTo("exact-api");
        assertThat(route("www.example.com", "http://www.example.com")).isEqualTo("exact");
        // RFC 9112 §3.2.2: the target names the host; the Host field is ignored.
        assertThat(route("other.test", "HTTP://WWW.example.com/api")).isEqualTo("exact-api");
        assertThat(route("www.example.com", "https://a.example.com:8443/api")).isEqualTo("wild");
    }

    @Test
    void pathsMatchInTheirNormalForm() {
        assertThat(route("www.example.com", "/public/../api/x")).isEqualTo("exact-api");
        assertThat(route("www.example.com", "/%61pi")).isEqualTo("exact-api");
        assertThat(route("www.example.com", "/api/../x")).isEqualTo("exact");
        assertThat(route("www.example.com", "/x/%2E%2e/api/v1?x=/../")).isEqualTo("exact-api");
    }

    @Test
    void theAsteriskFormIsRoutedAsTheHostsRoot() {
        RequestTarget target = new RequestTarget(PathRules.DEFAULT);
        assertThat(target.read("*", "www.example.com", true)).isTrue();
        assertThat(router.route(target.host(), target.path(), target.pathFrom(), target.pathTo()).upstream())
                .isEqualTo("exact");
    }

    @Test
    void normalizesHosts() {
        assertThat(Router.normalizeHost("Example.COM:443")).isEqualTo("example.com");
        assertThat(Router.normalizeHost("[::1]:8080")).isEqualTo("[::1]");
        assertThat(Router.normalizeHost("[::1]")).isEqualTo("[::1]");
    }
}

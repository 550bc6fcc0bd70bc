package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryConfigTest {
    /** Line 4 holds the route's extra keys ({@code ROUTE}), line 10 onwards the upstream's ({@code UPSTREAM}). */
    private static final String TEMPLATE = """
            listeners:
              - {name: web, bind: ":0"}
            routes:
              - upstream: app
            ROUTE
            upstreams:
              app:
                servers:
                  - address: 127.0.0.1:9001
            UPSTREAM
            """;

    @Test
    void everyRetryKeyBinds() throws Exception {
        Config c = parse("", """
                    retry:
                      retry_on: [connect_failure, reset, timeout, http_502, http_503, http_504]
                      attempts: 3
                      per_try_timeout: 2s
                      timeout: 10s
                      backoff: 25ms
                      budget_percent: 30
                      budget_min_per_second: 5
                      retry_buffer: 1m
                """);

        assertThat(c.upstreams().get("app").retry()).isEqualTo(new RetryConfig(Set.of(RetryOn.values()), 3,
                Optional.of(Duration.ofSeconds(2)), Duration.ofSeconds(10), Duration.ofMillis(25), 30, 5, 1 << 20));
    }

    @Test
    void defaultsRetryErrorsAndTimeoutsOnceLikeNginx() throws Exception {
        RetryConfig written = parse("", "    retry: {}\n").upstreams().get("app").retry();
        RetryConfig omitted = parse("", "").upstreams().get("app").retry();

        assertThat(written).isEqualTo(omitted).isEqualTo(RetryConfig.DEFAULT);
        assertThat(omitted.retryOn()).containsExactlyInAnyOrder(
                RetryOn.CONNECT_FAILURE, RetryOn.RESET, RetryOn.TIMEOUT);
        assertThat(omitted.attempts()).isEqualTo(2);
        assertThat(omitted.perTryTimeout()).isEmpty();
        assertThat(omitted.timeout()).isZero();
        assertThat(omitted.backoff()).isZero();
        assertThat(omitted.retryBufferBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void aRouteMayCarryItsOwnBlock() throws Exception {
        Config c = parse("    retry: {attempts: 1, timeout: 0, backoff: 0}\n", "");

        assertThat(c.routes().getFirst().retry()).contains(new RetryConfig(RetryConfig.DEFAULT.retryOn(), 1,
                Optional.empty(), Duration.ZERO, Duration.ZERO, 20, 10, 64 * 1024));
        assertThat(c.upstreams().get("app").retry()).isEqualTo(RetryConfig.DEFAULT);
    }

    @Test
    void aMisspeltConditionSuggestsTheClosestOne() {
        assertThat(problems("", """
                    retry:
                      retry_on: [http_503, conect_failure]
                """)).containsExactly("app.yaml:10:28: upstreams.app.retry.retry_on[1]: unknown value "
                        + "'conect_failure' (did you mean 'connect_failure'?)");
    }

    @Test
    void badValuesAreEachReportedWithWhatWasExpected() {
        assertThat(problems("", """
                    retry:
                      retry_on: timeout
                      attempts: 0
                      per_try_timeout: 0
                      backoff: 2s
                      budget_percent: 101
                      retry_buffer: 1x
                      attempt: 3
                """)).containsExactly(
                "app.yaml:10:17: upstreams.app.retry.retry_on: timeout (expected: a list like [connect_failure, "
                        + "reset, timeout, http_502, http_503, http_504])",
                "app.yaml:11:17: upstreams.app.retry.attempts: 0 (expected: 1..10)",
                "app.yaml:12:24: upstreams.app.retry.per_try_timeout: 0 has no unit (expected: 0ms, 0s, 0m or 0h)",
                "app.yaml:13:16: upstreams.app.retry.backoff: 2s (expected: 0ms..1s)",
                "app.yaml:14:23: upstreams.app.retry.budget_percent: 101 (expected: 0..100)",
                "app.yaml:15:21: upstreams.app.retry.retry_buffer: 1x (expected: a size like 512, 64k, 1m or 1g)",
                "app.yaml:16:7: upstreams.app.retry.attempt: unknown key 'attempt' (did you mean 'attempts'?)");
    }

    @Test
    void aRouteBlockIsCheckedLikeAnUpstreamOne() {
        assertThat(problems("    retry: {attempts: 11}\n", "")).containsExactly(
                "app.yaml:5:23: routes[0].retry.attempts: 11 (expected: 1..10)");
    }

    private static Config parse(String route, String upstream) throws ConfigException {
        return ConfigLoader.parse("app.yaml", yaml(route, upstream));
    }

    private static String yaml(String route, String upstream) {
        return TEMPLATE.replace("ROUTE\n", route).replace("UPSTREAM\n", upstream);
    }

    private static List<String> problems(String route, String upstream) {
        return ConfigProblems.of(yaml(route, upstream));
    }
}

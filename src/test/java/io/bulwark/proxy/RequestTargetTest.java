package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.config.PathRules;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a target routes by and what the server gets, form by form (RFC 9112 §3.2), under each path rule. */
class RequestTargetTest {
    private static final PathRules MERGING = new PathRules(true, true, PathRules.Forward.NORMALIZED);
    private static final PathRules ORIGINAL = new PathRules(true, false, PathRules.Forward.ORIGINAL);
    private static final PathRules RAW = new PathRules(false, false, PathRules.Forward.NORMALIZED);

    /** "routed host | routed path | forwarded target ('-': as received) | authority ('-': none)" */
    private static String read(PathRules rules, String target, String host) {
        RequestTarget t = new RequestTarget(rules);
        if (!t.read(target, host, target.equals("*"))) {
            return "refused";
        }
        return t.host() + " | " + t.path().substring(t.pathFrom(), t.pathTo()) + " | "
                + (t.forward() == null ? "-" : t.forward()) + " | " + (t.authority() == null ? "-" : t.authority());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "/x?a=1; h | /x | - | -",
        "/public/../admin/x?y=/../; h | /admin/x | /admin/x?y=/../ | -",
        "/%61dmin/%7e; h | /admin/~ | /admin/~ | -",
        "/a//b; h | /a//b | - | -",
        "http://example.test/x; example.test | /x | /x | example.test",
        "HTTPS://Example.test:8443/a/./b?q; Example.test:8443 | /a/b | /a/b?q | Example.test:8443",
        "http://example.test; example.test | / | / | example.test",
        "http://example.test?q=1; example.test | / | /?q=1 | example.test",
        "*; h | / | - | -",
    })
    void byDefault(String target, String expected) {
        assertThat(read(PathRules.DEFAULT, target, "h")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "/a//b/; h | /a/b/ | /a/b/ | -",
        "//; h | / | / | -",
    })
    void withSlashesMerged(String target, String expected) {
        assertThat(read(MERGING, target, "h")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "/public/../admin/x?y; h | /admin/x | - | -",
        "http://example.test/%61/../b?q; example.test | /b | /%61/../b?q | example.test",
    })
    void forwardingTheOriginalPath(String target, String expected) {
        assertThat(read(ORIGINAL, target, "h")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "/public/../admin; h | /public/../admin | - | -",
        "/%61; h | /%61 | - | -",
    })
    void withNormalizingOff(String target, String expected) {
        assertThat(read(RAW, target, "h")).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/../x", "/a/../../x", "/%2e%2E/x", "/a%zz", "/x#frag", "example.test:443",
        "ftp://example.test/x", "http://", "http:///x", "http://user@example.test/x", "x", "**"})
    void refused(String target) {
        assertThat(read(PathRules.DEFAULT, target, "h")).isEqualTo("refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../x", "/%2e%2E/x"})
    void aPathAboveTheRootPassesWhenNormalizingIsOff(String target) {
        assertThat(read(RAW, target, "h")).isNotEqualTo("refused");
    }

    @org.junit.jupiter.api.Test
    void theAsteriskFormIsForOptionsOnly() {
        assertThat(new RequestTarget(PathRules.DEFAULT).read("*", "h", false)).isFalse();
    }
}

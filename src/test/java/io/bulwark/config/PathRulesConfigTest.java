package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A listener's path rules and the normal form route prefixes must be written in. */
class PathRulesConfigTest {
    private static final String BASE = """
            listeners:
              - name: web
                bind: :0
            LISTENER
            routes:
              - upstream: app
                path_prefix: PREFIX
            upstreams:
              app:
                servers:
                  - address: 127.0.0.1:9001
            """;

    private static String yaml(String listener, String prefix) {
        return BASE.replace("LISTENER\n", listener.isEmpty() ? "" : listener + "\n").replace("PREFIX", prefix);
    }

    @Test
    void pathsAreNormalisedAndForwardedNormalisedByDefault() throws Exception {
        Config c = ConfigLoader.parse("app.yaml", yaml("", "/"));
        assertThat(c.listeners().getFirst().paths()).isEqualTo(PathRules.DEFAULT);
        assertThat(PathRules.DEFAULT).isEqualTo(new PathRules(true, false, PathRules.Forward.NORMALIZED));
    }

    @Test
    void eachRuleIsAListenerKey() throws Exception {
        Config c = ConfigLoader.parse("app.yaml", yaml(
                "    normalize_path: false\n    merge_slashes: true\n    forward_path: original", "/"));
        assertThat(c.listeners().getFirst().paths())
                .isEqualTo(new PathRules(false, true, PathRules.Forward.ORIGINAL));
    }

    @Test
    void anUnknownForwardPathSaysWhatItCanBe() {
        assertThat(problems(yaml("    forward_path: orignal", "/"))).containsExactly(
                "app.yaml:4:19: listeners[0].forward_path: unknown value 'orignal' (did you mean 'original'?)");
    }

    @Test
    void aPrefixOutOfNormalFormIsRefusedWithTheFormItShouldHave() {
        assertThat(problems(yaml("", "/%61dmin/./x"))).containsExactly("app.yaml:6:18: routes[0].path_prefix: "
                + "/%61dmin/./x is not in normal form; requests are matched on their normalised path (expected: /admin/x)");
        assertThat(problems(yaml("", "/../admin"))).singleElement().asString()
                .startsWith("app.yaml:6:18: routes[0].path_prefix: /../admin has no normal form");
        assertThat(problems(yaml("", "/a%2"))).singleElement().asString().contains("has no normal form");
    }

    @Test
    void aPrefixInNormalFormPasses() throws Exception {
        Config c = ConfigLoader.parse("app.yaml", yaml("", "/a%2F~b/"));
        assertThat(c.routes().getFirst().pathPrefix()).isEqualTo("/a%2F~b/");
    }

    private static List<String> problems(String yaml) {
        return ConfigProblems.of(yaml);
    }
}

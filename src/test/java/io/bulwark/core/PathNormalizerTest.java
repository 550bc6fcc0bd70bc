package io.bulwark.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3986 §6.2.2 normal forms, with §5.4's dot-segment examples that stay inside the root. */
class PathNormalizerTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/|/",
        "/a/b/c|/a/b/c",
        "/public/../admin/x|/admin/x",
        "/%61dmin/x|/admin/x",
        "/a/%2e%2E/b|/b",
        "/a/./b/.|/a/b/",
        "/a/b/..|/a/",
        "/a/b/../|/a/",
        "/a/.hidden/..x/...|/a/.hidden/..x/...",
        "/a%2fb|/a%2Fb",
        "/a%2Fb|/a%2Fb",
        "/%7e%7Euser|/~~user",
        "/caf%c3%a9|/caf%C3%A9",
        "/a//b/|/a//b/",
        "//|//",
        "/a/b/c/./../../g|/a/g",
        "/mid/content=5/../6|/mid/6",
    })
    void normalFormOf(String path, String normal) {
        assertThat(PathNormalizer.normalized(path, 0, path.length(), true, false)).isEqualTo(normal);
        assertThat(PathNormalizer.scan(path, 0, path.length(), true, false))
                .isEqualTo(path.equals(normal) ? PathNormalizer.NORMAL : PathNormalizer.CHANGES);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/a//b|/a/b",
        "//a///b//|/a/b/",
        "//|/",
        "/a/.//b|/a/b",
        "/a/b|/a/b",
    })
    void slashesMergedWhenAsked(String path, String normal) {
        assertThat(PathNormalizer.normalized(path, 0, path.length(), true, true)).isEqualTo(normal);
        assertThat(PathNormalizer.scan(path, 0, path.length(), true, true))
                .isEqualTo(path.equals(normal) ? PathNormalizer.NORMAL : PathNormalizer.CHANGES);
    }

    @ParameterizedTest
    @CsvSource({"/..", "/../x", "/a/../..", "/a/../../b", "/%2e%2e/admin", "/a/./../.."})
    void aPathAboveTheRootHasNoNormalForm(String path) {
        assertThat(PathNormalizer.scan(path, 0, path.length(), true, false)).isEqualTo(PathNormalizer.CHANGES);
        assertThat(PathNormalizer.normalized(path, 0, path.length(), true, false)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"/%", "/a%2", "/a%zz", "/%g0/x", "/x%"})
    void aBrokenPercentEncodingIsMalformed(String path) {
        assertThat(PathNormalizer.scan(path, 0, path.length(), true, false)).isEqualTo(PathNormalizer.MALFORMED);
        assertThat(PathNormalizer.scan(path, 0, path.length(), false, false)).isEqualTo(PathNormalizer.MALFORMED);
        assertThat(PathNormalizer.normalized(path, 0, path.length(), true, false)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"/%61/../b//c", "/a/./b"})
    void withNormalizingOffOnlySlashesMerge(String path) {
        assertThat(PathNormalizer.scan(path, 0, path.length(), false, false)).isEqualTo(PathNormalizer.NORMAL);
        String merged = PathNormalizer.normalized(path, 0, path.length(), false, true);
        assertThat(merged).isEqualTo(path.replace("//", "/"));
    }

    @ParameterizedTest
    @CsvSource({"'/x/../a?q=/../b', 7", "'GET /%61?x', 8"})
    void looksOnlyAtTheRangeItIsGiven(String s, int to) {
        int from = s.indexOf('/');
        assertThat(PathNormalizer.normalized(s, from, to, true, false)).isEqualTo("/a");
        assertThat(PathNormalizer.scan(s, from, to, true, false)).isEqualTo(PathNormalizer.CHANGES);
    }
}

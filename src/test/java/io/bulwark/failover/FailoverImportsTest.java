package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** DESIGN.md's house rule for this package: inside io.bulwark it may import only config, metrics and core. */
class FailoverImportsTest {
    static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.bulwark\\.(\\w+)\\.", Pattern.MULTILINE);
    static final List<String> ALLOWED = List.of("failover", "config", "metrics", "core");

    @Test
    void failoverImportsOnlyConfigMetricsAndCore() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/bulwark/failover"))) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                try {
                    Matcher m = IMPORT.matcher(Files.readString(f));
                    while (m.find()) {
                        assertThat(ALLOWED).as("%s imports io.bulwark.%s", f, m.group(1)).contains(m.group(1));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }
}

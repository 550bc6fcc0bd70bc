package io.bulwark.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassPreloadTest {
    @Test
    void loadsTheGatewaysOwnClassesIncludingErrorPathsOnesNothingHasTouchedYet() {
        List<String> loaded = ClassPreload.run();
        assertThat(loaded).hasSizeGreaterThan(150)
                .contains("io.bulwark.proxy.Failure", "io.bulwark.proxy.ErrorResponses", "io.bulwark.cli.Main")
                .allMatch(n -> n.startsWith("io.bulwark."));
    }
}

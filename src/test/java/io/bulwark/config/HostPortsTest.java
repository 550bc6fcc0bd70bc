package io.bulwark.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortsTest {
    @ParameterizedTest
    @CsvSource({
        "0.0.0.0:8080, 0.0.0.0, 8080",
        "127.0.0.1:9001, 127.0.0.1, 9001",
        "localhost:80, localhost, 80",
        "Backend-1.Example.com:443, backend-1.example.com, 443",
        "[::1]:8080, ::1, 8080",
        ":8080, 0.0.0.0, 8080",
        "127.0.0.1:0, 127.0.0.1, 0",
        "10.0.0.1:65535, 10.0.0.1, 65535"
    })
    void parsesTheFormsUsersWrite(String text, String host, int port) {
        assertThat(HostPorts.parse(text)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "localhost", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:http", "::1:8080", "[::g]:80",
        "256.0.0.1:80", "1.2.3:80", "bad host:80", "-bad.com:80", "a..b:80", "127.0.0.1:-1"
    })
    void refusesMalformedAddresses(String text) {
        assertThatThrownBy(() -> HostPorts.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(text.strip())
                .hasMessageContaining("(expected: ");
    }

    @Test
    void explainsAMissingPort() {
        assertThatThrownBy(() -> HostPorts.parse("localhost"))
                .hasMessage("localhost has no port"
                        + " (expected: host:port like 127.0.0.1:8080, localhost:80, [::1]:8080 or :8080)");
    }

    @Test
    void toStringThenParseRoundTripsForRandomAddresses() {
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            HostPort original = new HostPort(randomHost(random), random.nextInt(65536));
            assertThat(HostPorts.parse(original.toString())).isEqualTo(original);
        }
    }

    private static String randomHost(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + random.nextInt(256);
            case 1 -> "fd00::" + Integer.toHexString(random.nextInt(0x10000));
            default -> "srv-" + random.nextInt(1000) + ".dc" + random.nextInt(10) + ".example";
        };
    }
}

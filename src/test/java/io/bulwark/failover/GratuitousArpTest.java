package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class GratuitousArpTest {
    static final byte[] MAC = HexFormat.of().parseHex("0e83ed86139c");

    @Test
    void asksEveryoneForTheVirtualAddressInItsOwnName() {
        byte[] arp = GratuitousArp.request(MAC, Ipv4.parse("10.213.0.100"));
        assertThat(HexFormat.of().formatHex(arp)).isEqualTo(
                "0001" + "0800" + "06" + "04" + "0001" // Ethernet, IPv4, 6-byte MAC, 4-byte address, request
                        + "0e83ed86139c" + "0ad50064" // sender: our MAC, the virtual address
                        + "ffffffffffff" + "0ad50064"); // target: broadcast MAC as keepalived, the same address
    }

    @Test
    void refusesAnAddressThatIsNotEthernet() {
        assertThatThrownBy(() -> GratuitousArp.request(new byte[8], Ipv4.parse("10.0.0.1")))
                .hasMessage("MAC address of 8 bytes (expected: 6)");
    }

    @Test
    void formatsMacs() {
        assertThat(GratuitousArp.format(MAC)).isEqualTo("0e:83:ed:86:13:9c");
    }
}

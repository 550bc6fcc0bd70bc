package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinuxAddressActuatorTest {
    final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    final List<VirtualAddress> vips = List.of(VirtualAddress.parse("10.0.0.100/24"), VirtualAddress.parse("10.0.0.101"));

    @Test
    void runsIpAndArpingInTheOrderAsked() {
        var actuator = new LinuxAddressActuator("/sbin/ip", "/usr/bin/arping", argv -> {
            ran.add(String.join(" ", argv));
            return new LinuxAddressActuator.CommandRunner.Result(0, "");
        });
        actuator.add("eth0", vips);
        actuator.announce("eth0", vips);
        actuator.remove("eth0", vips);
        actuator.close();

        assertThat(ran).containsExactly(
                "/sbin/ip -4 addr add 10.0.0.100/24 dev eth0",
                "/sbin/ip -4 addr add 10.0.0.101/32 dev eth0",
                "/usr/bin/arping -U -c 5 -I eth0 10.0.0.100",
                "/usr/bin/arping -U -c 5 -I eth0 10.0.0.101",
                "/sbin/ip -4 addr del 10.0.0.100/24 dev eth0",
                "/sbin/ip -4 addr del 10.0.0.101/32 dev eth0");
    }

    @Test
    void aFailingCommandDoesNotStopTheQueue() {
        var actuator = new LinuxAddressActuator("ip", "arping", argv -> {
            ran.add(argv.get(3));
            if (argv.get(3).equals("add")) {
                throw new java.io.IOException("No such file or directory");
            }
            return new LinuxAddressActuator.CommandRunner.Result(2, "RTNETLINK answers: Cannot assign requested address");
        });
        actuator.add("eth0", vips.subList(0, 1));
        actuator.remove("eth0", vips.subList(0, 1));
        actuator.close();
        assertThat(ran).containsExactly("add", "del");
    }

    @Test
    void habetsArpingGetsItsOwnFlags() {
        var actuator = new LinuxAddressActuator("ip", "arping", true, argv -> {
            ran.add(String.join(" ", argv));
            return new LinuxAddressActuator.CommandRunner.Result(1, "");
        });
        actuator.announce("eth0", vips.subList(0, 1));
        actuator.remove("eth0", vips.subList(0, 1));
        actuator.close();

        assertThat(ran).containsExactly(
                "arping -q -U -c 5 -W 0.2 -i eth0 -S 10.0.0.100 10.0.0.100",
                "ip -4 addr del 10.0.0.100/24 dev eth0");
    }

    @Test
    void aMissingInterfaceIsNamedAsSuch() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RawSocketAdvertTransport.primaryAddress("nosuch0", List.of()))
                .hasMessage("VRRP interface nosuch0: no such interface");
    }

    @Test
    void findsToolsOnPathOrSbin() {
        assertThat(LinuxAddressActuator.find("sh")).isPresent();
        assertThat(LinuxAddressActuator.find("no-such-tool-bulwark")).isEmpty();
    }
}

package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The actuator against the real kernel: a veth pair between two network namespaces, the actuator's sockets
 * opened in the first (by a thread moved into it), addresses read back with {@code ip}, and gratuitous ARP
 * captured as it arrives in the second. Needs root and iproute2; skipped otherwise.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinuxAddressActuatorTest {
    static final List<VirtualAddress> VIPS = List.of(VirtualAddress.parse("10.214.0.100/24"), VirtualAddress.parse("10.214.0.101"));
    static Netns net;
    static String node;
    static String peer;
    static String nodeMac;

    LinuxAddressActuator actuator;

    @BeforeAll
    static void namespaces() throws Exception {
        Optional<String> why = Netns.unavailable();
        assumeTrue(why.isEmpty(), () -> "actuator test skipped: " + why.orElse(""));
        net = new Netns("act");
        node = net.add("node");
        peer = net.add("peer");
        Netns.ip("link", "add", "eth0", "netns", node, "type", "veth", "peer", "name", "eth0", "netns", peer);
        Netns.ip("-n", node, "addr", "add", "10.214.0.1/24", "dev", "eth0");
        Netns.ip("-n", peer, "addr", "add", "10.214.0.2/24", "dev", "eth0");
        Netns.ip("-n", node, "link", "set", "eth0", "up");
        Netns.ip("-n", peer, "link", "set", "eth0", "up");
        nodeMac = Netns.ip("-n", node, "-br", "link", "show", "dev", "eth0").split("\\s+")[2];
    }

    @AfterAll
    static void deleteNamespaces() {
        if (net != null) {
            net.close();
        }
    }

    @BeforeEach
    void actuator() throws Exception {
        actuator = TestSyscalls.inNamespace(node, () -> LinuxAddressActuator.create(List.of("eth0")));
    }

    @AfterEach
    void close() {
        actuator.close();
    }

    @Test
    void addsAndRemovesAddressesAndTakesWhatIsAlreadySoAsDone() throws Exception {
        actuator.add("eth0", VIPS);
        actuator.drain();
        assertThat(addresses()).contains("10.214.0.100/24", "10.214.0.101/32");

        actuator.add("eth0", VIPS); // EEXIST: already there
        actuator.drain();
        assertThat(actuator.failures()).isZero();

        actuator.remove("eth0", VIPS);
        actuator.drain();
        assertThat(addresses()).doesNotContain("10.214.0.100/24", "10.214.0.101/32").contains("10.214.0.1/24");

        actuator.remove("eth0", VIPS); // EADDRNOTAVAIL: already gone
        actuator.drain();
        assertThat(actuator.failures()).isZero();
    }

    @Test
    void countsAFailureAndGoesOnWithTheNextRequest() throws Exception {
        actuator.add("nosuch0", VIPS.subList(0, 1)); // ENODEV
        actuator.add("eth0", List.of(VirtualAddress.parse("10.214.0.102")));
        actuator.drain();
        assertThat(actuator.failures()).isEqualTo(1);
        assertThat(addresses()).contains("10.214.0.102/32");
        actuator.remove("eth0", List.of(VirtualAddress.parse("10.214.0.102")));
        actuator.drain();
    }

    @Test
    void theKernelsRefusalComesWithItsReason() throws Exception {
        Rtnetlink.Ack ack = TestSyscalls.inNamespace(node, () -> {
            try (NetlinkSocket s = NetlinkSocket.open()) {
                return s.request(seq -> Rtnetlink.deleteAddress(seq, 0, VIPS.getFirst())); // no interface 0
            }
        });
        assertThat(ack.error()).isEqualTo(-Libc.ENODEV);
        assertThat(ack.reason()).as("NETLINK_EXT_ACK's message (kernel 4.12 and later)").contains("Device not found");
    }

    @Test
    void masterBackupMasterInQuickSuccessionEndsWithTheAddress() throws Exception {
        for (int i = 0; i < 20; i++) {
            actuator.add("eth0", VIPS);
            actuator.announce("eth0", VIPS);
            actuator.remove("eth0", VIPS);
        }
        actuator.add("eth0", VIPS);
        actuator.drain();
        assertThat(addresses()).contains("10.214.0.100/24", "10.214.0.101/32");
        actuator.remove("eth0", VIPS);
        actuator.drain();
        assertThat(actuator.failures()).isZero();
    }

    @Test
    void announcesWithFiveGratuitousArpsTwoHundredMillisecondsApart() throws Exception {
        List<TestSyscalls.Arp> seen = TestSyscalls.inNamespace(peer, () -> {
            try (var capture = new TestSyscalls.ArpCapture("eth0")) {
                actuator.add("eth0", VIPS.subList(0, 1));
                actuator.drain();
                long asked = System.nanoTime();
                actuator.announce("eth0", VIPS.subList(0, 1));
                List<TestSyscalls.Arp> arps = capture(capture, "10.214.0.100", asked, 1_300);
                if (!arps.isEmpty()) {
                    System.out.printf("actuator: first gratuitous ARP on the peer %d us after announce()%n",
                            (arps.getFirst().nanoTime() - asked) / 1_000);
                }
                return arps;
            }
        });
        assertThat(seen).hasSize(LinuxAddressActuator.GARP_COUNT);
        TestSyscalls.Arp first = seen.getFirst();
        assertThat(GratuitousArp.format(first.ethernetSource())).isEqualTo(nodeMac);
        assertThat(first.broadcast()).as("sent to ff:ff:ff:ff:ff:ff").isTrue();
        assertThat(HexFormat.of().formatHex(first.message()))
                .isEqualTo("0001080006040001" + nodeMac.replace(":", "") + "0ad60064" + "ffffffffffff" + "0ad60064");
        long spread = (seen.getLast().nanoTime() - first.nanoTime()) / 1_000_000;
        assertThat(spread).as("ms from the first garp to the fifth").isBetween(700L, 1_100L);
        actuator.remove("eth0", VIPS.subList(0, 1));
    }

    @Test
    void removingTheAddressStopsTheGarpsStillToCome() throws Exception {
        List<TestSyscalls.Arp> seen = TestSyscalls.inNamespace(peer, () -> {
            try (var capture = new TestSyscalls.ArpCapture("eth0")) {
                actuator.add("eth0", VIPS.subList(0, 1));
                long asked = System.nanoTime();
                actuator.announce("eth0", VIPS.subList(0, 1));
                List<TestSyscalls.Arp> arps = capture(capture, "10.214.0.100", asked, 100);
                actuator.remove("eth0", VIPS.subList(0, 1));
                arps.addAll(capture(capture, "10.214.0.100", asked, 700));
                return arps;
            }
        });
        assertThat(seen).as("the first garp, none after the address was removed").hasSize(1);
        assertThat(addresses()).doesNotContain("10.214.0.100/24");
    }

    @Test
    void aSendToInterfaceZeroFailsWithEnxioWhichIsHowCreateWarmsTheSendPathWithoutSending() throws Exception {
        NativeException e = TestSyscalls.inNamespace(node, () -> {
            try (PacketSocket s = PacketSocket.open()) {
                s.sendArp(0, GratuitousArp.request(new byte[6], Ipv4.parse("10.214.0.100")));
                return null;
            } catch (NativeException expected) {
                return expected;
            }
        });
        assertThat(e).isNotNull();
        assertThat(e.errno()).isEqualTo(Libc.ENXIO);
    }

    @Test
    void refusesToStartWithoutTheInterface() {
        assertThatThrownBy(() -> TestSyscalls.inNamespace(node, () -> LinuxAddressActuator.create(List.of("eth0", "nosuch0"))))
                .isInstanceOf(IllegalStateException.class).hasMessage("VRRP interface nosuch0: no such interface");
    }

    @Test
    void refusesToStartWithoutCapNetAdmin() {
        assertThatThrownBy(() -> TestSyscalls.inNamespace(node, () -> {
            TestSyscalls.dropCapability(TestSyscalls.CAP_NET_ADMIN);
            return LinuxAddressActuator.create(List.of("eth0"));
        })).isInstanceOf(IllegalStateException.class).hasMessageStartingWith(
                "VRRP needs CAP_NET_ADMIN to add virtual addresses (rtnetlink answered EPERM (operation not permitted)). "
                        + "Run as root, add AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN");
    }

    @Test
    void refusesToStartWithoutCapNetRaw() {
        assertThatThrownBy(() -> TestSyscalls.inNamespace(node, () -> {
            TestSyscalls.dropCapability(TestSyscalls.CAP_NET_RAW);
            return LinuxAddressActuator.create(List.of("eth0"));
        })).isInstanceOf(IllegalStateException.class).hasMessageStartingWith(
                "VRRP needs CAP_NET_RAW to send gratuitous ARP (socket(AF_PACKET, SOCK_DGRAM, 0) failed: EPERM");
    }

    @Test
    void garpsComeInTwoBurstsAsKeepalivedsRepeatAndDelay() {
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 2 * LinuxAddressActuator.GARP_COUNT; i++) {
            offsets.add(LinuxAddressActuator.garpOffsetMillis(i));
        }
        assertThat(offsets).containsExactly(0L, 200L, 400L, 600L, 800L, 5_000L, 5_200L, 5_400L, 5_600L, 5_800L);
    }

    /** Gratuitous ARPs for {@code vip} seen until {@code millis} after {@code since}. */
    static List<TestSyscalls.Arp> capture(TestSyscalls.ArpCapture capture, String vip, long since, long millis)
            throws Throwable {
        byte[] address = Ipv4.parse(vip).getAddress();
        List<TestSyscalls.Arp> arps = new ArrayList<>();
        while (System.nanoTime() - since < millis * 1_000_000) {
            TestSyscalls.Arp a = capture.receive();
            if (a != null && a.message().length >= 28 && java.util.Arrays.equals(a.message(), 14, 18, address, 0, 4)) {
                arps.add(a);
            }
        }
        return arps;
    }

    static String addresses() throws Exception {
        return Netns.ip("-n", node, "-4", "-o", "addr", "show", "dev", "eth0");
    }
}

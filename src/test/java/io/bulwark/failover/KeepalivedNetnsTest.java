package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real Bulwark gateway ({@code bulwark run} in a child JVM) and a real keepalived, each in its own network
 * namespace joined by a veth, share one virtual address: keepalived master with Bulwark backup and the
 * other way round, each taking over when the other dies (SIGKILL), and preemption both ways. Who holds the
 * address is read from the interfaces themselves. Needs root, iproute2 and keepalived (.ci/run installs
 * them); skipped with the reason otherwise.
 */
class KeepalivedNetnsTest {
    static final String VIP = "192.168.213.100";
    static final Pattern SUSPICIOUS = Pattern.compile("(?i)invalid|checksum|mismatch|bogus|wrong|error");
    static final Path LOGS = Path.of("target", "netns", "keepalived");

    enum Mode {
        /** VRRPv3 multicast at 100 ms, keepalived's fractional advert_int. */
        V3_MULTICAST(3, false, null, "0.1", "100ms"),
        /** VRRPv3 unicast to each other at 100 ms. */
        V3_UNICAST(3, true, null, "0.1", "100ms"),
        /** VRRPv2 with a simple password: whole seconds only (RFC 3768). */
        V2_PASSWORD(2, false, "s3cret", "1", "1s");

        final int version;
        final boolean unicast;
        final String password;
        final String keepalivedInterval;
        final String bulwarkInterval;

        Mode(int version, boolean unicast, String password, String keepalivedInterval, String bulwarkInterval) {
            this.version = version;
            this.unicast = unicast;
            this.password = password;
            this.keepalivedInterval = keepalivedInterval;
            this.bulwarkInterval = bulwarkInterval;
        }

        /** Time for a takeover after a silent death: 3 intervals + skew, plus a JVM start and CI allowance. */
        Duration takeover() {
            return version == 2 ? Duration.ofSeconds(10) : Duration.ofSeconds(6);
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void takesOverAndPreemptsBothWaysWithKeepalived(Mode mode) throws Exception {
        Optional<String> why = Netns.unavailable("keepalived");
        assumeTrue(why.isEmpty(), () -> "keepalived interop test skipped: " + why.orElse(""));
        Path dir = Files.createDirectories(LOGS.resolve(mode.name()).toAbsolutePath());
        long began = System.nanoTime();
        try (Netns net = new Netns("k")) {
            String ka = net.add("ka");
            String bw = net.add("bw");
            Netns.ip("link", "add", "eth0", "netns", ka, "type", "veth", "peer", "name", "eth0", "netns", bw);
            Netns.ip("-n", ka, "addr", "add", "192.168.213.1/24", "dev", "eth0");
            Netns.ip("-n", bw, "addr", "add", "192.168.213.2/24", "dev", "eth0");
            Netns.ip("-n", ka, "link", "set", "eth0", "up");
            Netns.ip("-n", bw, "link", "set", "eth0", "up");
            Path kaLog = dir.resolve("keepalived.log");
            Path notifyLog = dir.resolve("notify.log");
            Files.deleteIfExists(notifyLog);

            // keepalived MASTER (100), Bulwark BACKUP (50): Bulwark stays backup.
            Process keepalived = keepalived(net, ka, mode, dir, "MASTER", kaLog);
            await(() -> Netns.holds(ka, VIP), mode.takeover(), "keepalived to take the address");
            Process bulwark = bulwark(net, bw, mode, dir, 50, notifyLog, "bulwark-50.log");
            await(() -> log(dir.resolve("bulwark-50.log")).contains("INITIALIZE -> BACKUP"), Duration.ofSeconds(10),
                    "Bulwark to start as backup");
            Thread.sleep(mode.version == 2 ? 2_500 : 800);
            assertThat(Netns.holds(bw, VIP)).as("Bulwark (50) stays backup under keepalived (100)").isFalse();
            assertThat(Netns.holds(ka, VIP)).isTrue();

            // keepalived dies: Bulwark takes over.
            long t = System.nanoTime();
            killAll(ka);
            await(() -> Netns.holds(bw, VIP), mode.takeover(), "Bulwark to take over from a dead keepalived");
            long bwTakeover = millisSince(t);
            // What a reboot would do: the dead node's address is gone when keepalived starts again.
            Netns.ip("-n", ka, "addr", "flush", "dev", "eth0", "to", VIP + "/32");

            // keepalived (100) comes back as BACKUP and preempts Bulwark (50).
            t = System.nanoTime();
            keepalived = keepalived(net, ka, mode, dir, "BACKUP", kaLog);
            await(() -> Netns.holds(ka, VIP) && !Netns.holds(bw, VIP), mode.takeover(), "keepalived to preempt Bulwark");
            long kaPreempt = millisSince(t);

            // Bulwark stops (priority 0), comes back at 150 and preempts keepalived.
            bulwark.destroy();
            assertThat(bulwark.waitFor(10, TimeUnit.SECONDS)).isTrue();
            t = System.nanoTime();
            bulwark = bulwark(net, bw, mode, dir, 150, notifyLog, "bulwark-150.log");
            await(() -> Netns.holds(bw, VIP) && !Netns.holds(ka, VIP), mode.takeover(), "Bulwark (150) to preempt keepalived");
            long bwPreempt = millisSince(t);
            // The notify hook runs beside the state machine; let it record MASTER before the SIGKILL.
            await(() -> log(notifyLog).contains("INSTANCE VI_1 MASTER 150"), Duration.ofSeconds(5), "the MASTER notify");

            // Bulwark dies: keepalived takes over.
            t = System.nanoTime();
            bulwark.destroyForcibly();
            await(() -> Netns.holds(ka, VIP), mode.takeover(), "keepalived to take over from a dead Bulwark");
            long kaTakeover = millisSince(t);

            System.out.printf("keepalived interop %s: Bulwark takes over from dead keepalived %d ms, keepalived "
                    + "preempts Bulwark %d ms, Bulwark preempts keepalived %d ms (JVM start included), keepalived "
                    + "takes over from dead Bulwark %d ms%n", mode, bwTakeover, kaPreempt, bwPreempt, kaTakeover);
            String kaText = log(kaLog);
            assertThat(SUSPICIOUS.matcher(kaText).find()).as("keepalived complained:%n%s", kaText).isFalse();
            String first = log(dir.resolve("bulwark-50.log"));
            assertThat(first).as("Bulwark dropped none of keepalived's adverts").doesNotContain("advert dropped")
                    .contains("dropped 0");
            assertThat(log(notifyLog)).contains("INSTANCE VI_1 BACKUP 50", "INSTANCE VI_1 MASTER 50",
                    "INSTANCE VI_1 STOP 50", "INSTANCE VI_1 MASTER 150");
            keepalived.destroy();
            keepalived.waitFor(5, TimeUnit.SECONDS);
        } finally {
            System.out.printf("keepalived interop %s: took %.1f s (namespaces deleted)%n", mode,
                    (System.nanoTime() - began) / 1e9);
        }
    }

    static Process keepalived(Netns net, String ns, Mode mode, Path dir, String state, Path log) throws IOException {
        String auth = mode.password == null ? ""
                : "    authentication {\n        auth_type PASS\n        auth_pass " + mode.password + "\n    }\n";
        String unicast = !mode.unicast ? ""
                : "    unicast_src_ip 192.168.213.1\n    unicast_peer {\n        192.168.213.2\n    }\n";
        Path conf = dir.resolve("keepalived.conf");
        // A SIGKILLed keepalived leaves its pid files; one pair per start keeps "already running" away.
        Files.deleteIfExists(dir.resolve("ka-" + state + ".pid"));
        Files.deleteIfExists(dir.resolve("vrrp-" + state + ".pid"));
        Files.writeString(conf, "global_defs {\n    vrrp_version " + mode.version + "\n    script_user root\n}\n"
                + "vrrp_instance VI_1 {\n    state " + state + "\n    interface eth0\n    virtual_router_id 51\n"
                + "    priority 100\n    advert_int " + mode.keepalivedInterval + "\n" + auth + unicast
                + "    virtual_ipaddress {\n        " + VIP + "/24\n    }\n}\n");
        Files.writeString(log, "---- start " + state + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        return net.execAppend(ns, log, java.util.List.of(io.bulwark.testing.HostTools.find("keepalived").orElseThrow(),
                "-n", "-l", "-D", "--vrrp", "-f", conf.toString(), "-p", dir.resolve("ka-" + state + ".pid").toString(),
                "-r", dir.resolve("vrrp-" + state + ".pid").toString()));
    }

    static Process bulwark(Netns net, String ns, Mode mode, Path dir, int priority, Path notifyLog, String log)
            throws IOException {
        Path config = dir.resolve("bulwark-" + priority + ".yaml");
        String auth = mode.password == null ? "" : "      authentication: { type: pass, password: \"" + mode.password + "\" }\n";
        String unicast = mode.unicast ? "      unicast_peers: [192.168.213.1]\n" : "";
        Files.writeString(config, """
                listeners:
                  - name: web
                    bind: 127.0.0.1:0
                routes:
                  - upstream: app
                upstreams:
                  app:
                    servers:
                      - address: 127.0.0.1:9
                admin:
                  bind: 127.0.0.1:0
                vrrp:
                  instances:
                    - name: VI_1
                      interface: eth0
                      virtual_router_id: 51
                      version: VERSION
                      priority: PRIORITY
                      advert_interval: INTERVAL
                      virtual_ips: [VIP/24]
                      notify: /bin/sh -c 'echo "$*" >> NOTIFY' notify
                """.replace("VERSION", Integer.toString(mode.version)).replace("PRIORITY", Integer.toString(priority))
                .replace("INTERVAL", mode.bulwarkInterval).replace("VIP", VIP).replace("NOTIFY", notifyLog.toString())
                + auth + unicast);
        return net.exec(ns, dir.resolve(log), Netns.java("io.bulwark.cli.Main", "run", "--config", config.toString()));
    }

    /**
     * SIGKILL to everything in {@code ns}: keepalived's VRRP child first (the later pid), since it stops
     * cleanly, sending priority 0, when its parent dies first, and this is meant to be a silent death.
     */
    static void killAll(String ns) throws IOException {
        for (String pid : java.util.Arrays.asList(Netns.ip("netns", "pids", ns).strip().split("\\s+")).reversed()) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("waited " + limit.toMillis() + " ms for " + what + "; logs in " + LOGS.toAbsolutePath());
    }

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static String log(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}

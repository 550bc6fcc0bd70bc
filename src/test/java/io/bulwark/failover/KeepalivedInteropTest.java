package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.bulwark.config.VrrpInstanceConfig;
import io.bulwark.core.EventBus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bulwark against a real keepalived across a veth between two network namespaces. Run by
 * {@code src/test/netns/keepalived-interop.sh}, which builds the namespaces and runs this JVM inside
 * {@code bwk-bw} (interface {@code bwk-bw0}, 192.168.213.2); keepalived runs in {@code bwk-ka}
 * (192.168.213.1). Skipped unless {@code BULWARK_KEEPALIVED} names the keepalived binary.
 */
@EnabledIfEnvironmentVariable(named = "BULWARK_KEEPALIVED", matches = ".+")
class KeepalivedInteropTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Pattern SUSPICIOUS = Pattern.compile("(?i)invalid|checksum|mismatch|bogus|wrong|error|discard");

    enum Mode {
        V3_MULTICAST(3, false, null),
        V3_UNICAST(3, true, null),
        V2_PASSWORD(2, false, "s3cret");

        final int version;
        final boolean unicast;
        final String password;

        Mode(int version, boolean unicast, String password) {
            this.version = version;
            this.unicast = unicast;
            this.password = password;
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void electsPreemptsAndHandsOverWithKeepalived(Mode mode) throws Exception {
        // Under target/ so the keepalived log outlives a failure.
        Path dir = Files.createDirectories(Path.of("target", "keepalived-interop", mode.name()));
        Path log = dir.resolve("keepalived.log");
        Files.deleteIfExists(log);
        Process keepalived = null;
        VrrpScheduler scheduler = VrrpScheduler.singleThread("vrrp-interop");
        List<VrrpInstance> started = new java.util.ArrayList<>();
        try {
            VrrpInstance high = bulwark(mode, 200, scheduler, started);
            high.start();
            await().atMost(WAIT).until(() -> high.state() == VrrpState.MASTER);
            keepalived = startKeepalived(mode, dir, log);

            // keepalived (100) hears our 200 and stays BACKUP.
            long sent = high.counters().advertsSent();
            await().atMost(WAIT).until(() -> high.counters().advertsSent() >= sent + 6);
            assertThat(read(log)).contains("Entering BACKUP STATE").doesNotContain("Entering MASTER STATE");

            // Our shutdown sends priority 0: keepalived takes over after its skew time.
            high.stop();
            await().atMost(WAIT).until(() -> count(read(log), "Entering MASTER STATE") == 1);

            // A lower Bulwark (50) accepts keepalived's adverts, checksums and all, and stays BACKUP.
            VrrpInstance low = bulwark(mode, 50, scheduler, started);
            low.start();
            try {
                await().atMost(WAIT).until(() -> low.counters().advertsReceived() >= 4);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(mode + ": Bulwark did not hear keepalived: " + dropsOf(low), e);
            }
            assertThat(low.state()).isEqualTo(VrrpState.BACKUP);
            for (DropReason r : DropReason.values()) {
                assertThat(low.counters().drops(r)).as("drops %s", r).isZero();
            }
            low.stop();

            // A higher Bulwark preempts keepalived.
            VrrpInstance again = bulwark(mode, 200, scheduler, started);
            again.start();
            await().atMost(WAIT).until(() -> again.state() == VrrpState.MASTER
                    && count(read(log), "Entering BACKUP STATE") == 2);
            again.stop();
            await().atMost(WAIT).until(() -> count(read(log), "Entering MASTER STATE") == 2);

            assertThat(SUSPICIOUS.matcher(read(log)).find()).as("keepalived complained:%n%s", read(log)).isFalse();
        } finally {
            started.forEach(VrrpInstance::stop);
            if (keepalived != null) {
                keepalived.destroy(); // SIGTERM: keepalived sends priority 0 and removes its address
                keepalived.waitFor();
            }
            scheduler.close();
        }
    }

    static String dropsOf(VrrpInstance i) {
        StringBuilder b = new StringBuilder(i.state() + " received " + i.counters().advertsReceived());
        for (DropReason r : DropReason.values()) {
            if (i.counters().drops(r) > 0) {
                b.append(", ").append(r).append('=').append(i.counters().drops(r));
            }
        }
        return b.toString();
    }

    static VrrpInstance bulwark(Mode mode, int priority, VrrpScheduler scheduler, List<VrrpInstance> started) {
        var config = new VrrpInstanceConfig("VI_1", mode.version, "bwk-bw0", 51, priority, Duration.ofSeconds(1), true,
                Duration.ZERO, "192.168.213.2", mode.unicast ? List.of("192.168.213.1") : List.of(),
                List.of("192.168.213.100/24"), mode.password, List.of(), List.of());
        VrrpInstance i = new VrrpInstance(config, RawSocketAdvertTransport.forInstance(config),
                new VrrpContext(scheduler, new RecordingActuator(), new EventBus(), c -> NotifyHook.none()));
        started.add(i);
        return i;
    }

    static Process startKeepalived(Mode mode, Path dir, Path log) throws IOException {
        String auth = mode.password == null ? ""
                : "    authentication {\n        auth_type PASS\n        auth_pass " + mode.password + "\n    }\n";
        String unicast = !mode.unicast ? ""
                : "    unicast_src_ip 192.168.213.1\n    unicast_peer {\n        192.168.213.2\n    }\n";
        Path conf = dir.resolve("keepalived.conf");
        Files.writeString(conf, "global_defs {\n    vrrp_version " + mode.version + "\n}\n"
                + "vrrp_instance VI_1 {\n    state BACKUP\n    interface bwk-ka0\n    virtual_router_id 51\n"
                + "    priority 100\n    advert_int 1\n" + auth + unicast
                + "    virtual_ipaddress {\n        192.168.213.100/24\n    }\n}\n");
        String ns = System.getenv().getOrDefault("BULWARK_KEEPALIVED_NS", "bwk-ka");
        return new ProcessBuilder("ip", "netns", "exec", ns, System.getenv("BULWARK_KEEPALIVED"), "-n", "-l", "-D",
                "--vrrp", "-f", conf.toString(), "-p", dir.resolve("ka.pid").toString(), "-r",
                dir.resolve("vrrp.pid").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}

package io.bulwark.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two real Bulwark gateways (child JVMs running {@code bulwark run}) in their own network namespaces,
 * joined by a bridge in a third namespace where a client polls the virtual IP every 10 ms. Each gateway
 * proxies to a backend on its own loopback that answers with the node's name, so the client sees which
 * node holds the address. Advert interval 100 ms: Master_Down_Interval is 300 ms + skew (80.5 ms for the
 * backup's priority 50). Needs root and iproute2; skipped otherwise.
 */
class VrrpNetnsTest {
    static final String VIP = "10.213.0.100";
    static final long MASTER_DOWN_MILLIS = 300 + (256 - 50) * 100 / 256; // 380 ms for the priority-50 backup
    /**
     * Added to the end-to-end limits only (the VRRP transitions themselves are held to the RFC's times): after
     * MASTER the new master adds the address and sends a garp (a few ms through rtnetlink and a packet socket)
     * and serves its first proxied request, on two CPUs shared with both gateways, the client and the rest of
     * the build. Seen (when ip and arping were child processes): 50 ms idle, up to 310 ms during a full build.
     */
    static final long CI_SLACK_MILLIS = 400;
    /**
     * A gateway JVM reaches "VRRP started" ~0.4 s after exec on an idle machine, but 1.8 s was seen with the
     * rest of the build on the same two cores: the end-to-end preemption limit gets this much more.
     */
    static final long JVM_START_SLACK_MILLIS = 1_000;
    static final Path LOGS = Path.of("target", "netns", "vrrp");

    /** One change of what the client saw. */
    record Seen(long millis, String outcome) {}

    final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void gatewaysFailOverThroughTheVirtualAddress() throws Exception {
        Optional<String> why = Netns.unavailable();
        assumeTrue(why.isEmpty(), () -> "VRRP namespace test skipped: " + why.orElse(""));
        long began = System.nanoTime();
        Files.createDirectories(LOGS);
        try (Netns net = new Netns("v")) {
            String[] nodes = bridged(net);
            String c = nodes[0];
            String a = nodes[1];
            String b = nodes[2];
            if (System.getenv("BULWARK_NETNS_TCPDUMP") != null) { // to see where the time goes: arp, vrrp, syns
                net.exec(c, LOGS.resolve("tcpdump.txt"), List.of("tcpdump", "-l", "-n", "-e", "-tt", "-i", "br0",
                        "arp or vrrp or (tcp[tcpflags] & tcp-syn != 0)"));
            }

            Process backendA = net.exec(a, LOGS.resolve("backend-a.log"), Netns.java(NetnsTools.class.getName(), "backend", "127.0.0.1", "8081", "node-a"));
            net.exec(b, LOGS.resolve("backend-b.log"), Netns.java(NetnsTools.class.getName(), "backend", "127.0.0.1", "8081", "node-b"));
            Path configA = writeConfig("a", 100);
            Path configB = writeConfig("b", 50);
            Process gwB = gateway(net, b, configB, "gateway-b.log");
            Process gwA = gateway(net, a, configA, "gateway-a.log");
            Process probe = net.execPiped(c, LOGS.resolve("probe.err"), Netns.java(NetnsTools.class.getName(), "probe", VIP, "8080", "170"));
            Thread.ofPlatform().daemon().start(() -> read(probe));

            awaitOutcome("node-a", 0, Duration.ofSeconds(20), "the higher-priority node to answer on the VIP");
            Thread.sleep(500); // settle: B has heard a few adverts

            // 1. SIGKILL the master: B takes over after Master_Down_Interval.
            long killed = System.currentTimeMillis();
            gwA.destroyForcibly();
            long sigkill = awaitOutcome("node-b", killed, Duration.ofSeconds(5), "the backup after SIGKILL") - killed;
            long bMaster = loggedAt(LOGS.resolve("gateway-b.log"), "BACKUP -> MASTER", killed) - killed;
            System.out.printf("VRRP netns: SIGKILL master -> backup is MASTER after %d ms (Master_Down_Interval %d ms "
                    + "after the last advert), answers on the VIP after %d ms (limit %d ms incl. %d ms CI slack)%n",
                    bMaster, MASTER_DOWN_MILLIS, sigkill, MASTER_DOWN_MILLIS + 100 + CI_SLACK_MILLIS, CI_SLACK_MILLIS);
            assertThat(bMaster).isLessThanOrEqualTo(MASTER_DOWN_MILLIS + 100);
            assertThat(sigkill).isLessThanOrEqualTo(MASTER_DOWN_MILLIS + 100 + CI_SLACK_MILLIS);
            gwA.waitFor(5, TimeUnit.SECONDS);

            // 2. Restart A: it preempts B (JVM start included).
            long restarted = System.currentTimeMillis();
            gwA = gateway(net, a, configA, "gateway-a2.log");
            long answered = awaitOutcome("node-a", restarted, Duration.ofSeconds(10), "the restarted master");
            long preempt = answered - restarted;
            long vrrpStarted = loggedAt(LOGS.resolve("gateway-a2.log"), "VRRP started");
            long master = loggedAt(LOGS.resolve("gateway-a2.log"), "BACKUP -> MASTER");
            System.out.printf("VRRP netns: restarted higher-priority node answers on the VIP %d ms after its JVM "
                    + "started: JVM start to VRRP start %d ms, to MASTER %d ms (Master_Down_Interval 361 ms), to the "
                    + "first answer %d ms (address, garp, the cold JVM's first proxied request); limit 1500 ms + %d ms "
                    + "CI slack + %d ms JVM-start slack%n", preempt, vrrpStarted - restarted, master - vrrpStarted,
                    answered - master, CI_SLACK_MILLIS, JVM_START_SLACK_MILLIS);
            assertThat(master - vrrpStarted).isLessThanOrEqualTo(361 + CI_SLACK_MILLIS);
            assertThat(preempt).isLessThanOrEqualTo(1500 + CI_SLACK_MILLIS + JVM_START_SLACK_MILLIS);
            Thread.sleep(500);

            // 3. SIGTERM the master: its priority-0 advert lets B take over after Skew_Time (80.5 ms).
            long termed = System.currentTimeMillis();
            gwA.destroy();
            long sigterm = awaitOutcome("node-b", termed, Duration.ofSeconds(5), "the backup after SIGTERM") - termed;
            long bMasterAgain = loggedAt(LOGS.resolve("gateway-b.log"), "BACKUP -> MASTER", termed) - termed;
            System.out.printf("VRRP netns: SIGTERM master -> backup is MASTER after %d ms (priority 0 + Skew_Time "
                    + "80 ms), answers on the VIP after %d ms (limit %d ms incl. %d ms CI slack)%n", bMasterAgain,
                    sigterm, 100 + CI_SLACK_MILLIS, CI_SLACK_MILLIS);
            System.out.printf("VRRP netns: SIGTERM: the backup answers %d ms after its MASTER transition (address, "
                    + "gratuitous ARP, the client's next 10 ms probe), %d ms after the signal: %s the 100 ms target%n",
                    sigterm - bMasterAgain, sigterm, sigterm <= 100 ? "within" : "over");
            assertThat(bMasterAgain).isLessThanOrEqualTo(100 + 50);
            assertThat(sigterm).isLessThanOrEqualTo(100 + CI_SLACK_MILLIS);
            assertThat(gwA.waitFor(10, TimeUnit.SECONDS)).as("A stops within 10 s of SIGTERM").isTrue();
            assertThat(Files.readString(LOGS.resolve("gateway-a2.log"))).contains("MASTER -> INITIALIZE", "1 priority 0)");

            // 4. A back as master; then its backend dies: the upstream tracker (-60) drops it to 40 < 50.
            restarted = System.currentTimeMillis();
            gwA = gateway(net, a, configA, "gateway-a3.log");
            awaitOutcome("node-a", restarted, Duration.ofSeconds(10), "the restarted master");
            Thread.sleep(500);

            // A script tracker (-60, every 100 ms) starts failing on A, then recovers: A yields, then preempts.
            Path flag = LOGS.resolve("a-maintenance").toAbsolutePath();
            long flagged = System.currentTimeMillis();
            Files.writeString(flag, "");
            long scripted = awaitOutcome("node-b", flagged, Duration.ofSeconds(5), "the backup after A's script failed") - flagged;
            Files.delete(flag);
            long unflagged = System.currentTimeMillis();
            long back = awaitOutcome("node-a", unflagged, Duration.ofSeconds(5), "A to preempt once its script passes") - unflagged;
            System.out.printf("VRRP netns: master's script tracker fails -> backup answers after %d ms; script passes "
                    + "again -> master preempts after %d ms (script interval 100 ms + Master_Down_Interval 361 ms)%n",
                    scripted, back);
            assertThat(scripted).isLessThanOrEqualTo(200 + MASTER_DOWN_MILLIS + CI_SLACK_MILLIS);
            assertThat(back).isLessThanOrEqualTo(200 + 361 + CI_SLACK_MILLIS);
            Thread.sleep(300);

            // A runs out of file descriptors (soft limit lowered to its lowest free descriptor number + 3, then
            // 20 idle clients): its listener, still open, stops accepting; the listener tracker's probe sees it
            // and B takes over. The clients leave, the limit comes back, and A preempts again.
            long pidA = javaPid(gwA);
            String limit = softFileLimit(pidA);
            Netns.run(List.of("prlimit", "--pid", Long.toString(pidA), "--nofile=" + (lowestFreeDescriptor(pidA) + 3) + ":"));
            long starved = System.currentTimeMillis();
            Process hold = net.exec(c, LOGS.resolve("hold.log"), Netns.java(NetnsTools.class.getName(), "hold", "10.213.0.2", "8080", "20"));
            long yielded = awaitOutcome("node-b", starved, Duration.ofSeconds(5), "the backup after A ran out of descriptors") - starved;
            // The script and upstream trackers (100 ms) usually move the address first; the listener's probe
            // needs two failures 200 ms apart, and keeps failing while the clients hold A's descriptors.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(Files.readString(LOGS.resolve("gateway-a3.log"))).as("the listener tracker saw it")
                            .contains("tracker listener:web failing"));
            hold.destroy();
            hold.waitFor(5, TimeUnit.SECONDS);
            Netns.run(List.of("prlimit", "--pid", Long.toString(pidA), "--nofile=" + limit + ":"));
            long released = System.currentTimeMillis();
            long recovered = awaitOutcome("node-a", released, Duration.ofSeconds(5), "A to preempt once it accepts again") - released;
            System.out.printf("VRRP netns: master out of file descriptors -> its trackers fail (script, health check, "
                    + "listener probe) -> backup answers after %d ms; descriptors back -> master preempts after %d ms%n", yielded, recovered);
            assertThat(yielded).isLessThanOrEqualTo(2 * 200 + 500 + MASTER_DOWN_MILLIS + CI_SLACK_MILLIS);
            assertThat(recovered).isLessThanOrEqualTo(200 + 361 + CI_SLACK_MILLIS + 500);
            Thread.sleep(300);

            long backendKilled = System.currentTimeMillis();
            backendA.destroyForcibly();
            long tracked = awaitOutcome("node-b", backendKilled, Duration.ofSeconds(5), "the backup after the master's upstream failed") - backendKilled;
            System.out.printf("VRRP netns: master's only backend killed -> upstream tracker -> backup answers on "
                    + "the VIP after %d ms (health check 100 ms + Master_Down_Interval %d ms)%n", tracked, MASTER_DOWN_MILLIS);
            assertThat(tracked).isLessThanOrEqualTo(100 + MASTER_DOWN_MILLIS + 100 + CI_SLACK_MILLIS);
            assertThat(Netns.holds(a, VIP)).as("A released the VIP").isFalse();

            // 5. 10,000 malformed protocol-112 packets at the master B: it stays master and counts them.
            Thread.sleep(300);
            long fuzzFrom = System.currentTimeMillis();
            Process fuzz = net.exec(c, LOGS.resolve("fuzz.log"), Netns.java(NetnsTools.class.getName(), "fuzz", "10.213.0.3", "10000", "112"));
            assertThat(fuzz.waitFor(60, TimeUnit.SECONDS)).as("fuzzer finished").isTrue();
            assertThat(Files.readString(LOGS.resolve("fuzz.log"))).contains("sent 10000");
            Thread.sleep(300);
            long fuzzTo = System.currentTimeMillis();
            assertThat(seen.stream().filter(s -> s.millis() >= fuzzFrom && s.millis() <= fuzzTo).toList())
                    .as("the client kept seeing node-b during the flood").isEmpty();
            assertThat(lastOutcome()).isEqualTo("node-b");
            gwB.destroy();
            assertThat(gwB.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String logB = Files.readString(LOGS.resolve("gateway-b.log"));
            Matcher m = Pattern.compile("\\(VI_1\\) VRRP stopped: (.*)").matcher(logB);
            assertThat(m.find()).as("B logged its counters:%n%s", logB).isTrue();
            Matcher dropped = Pattern.compile("dropped (\\d+)").matcher(m.group(1));
            assertThat(dropped.find()).isTrue();
            long drops = Long.parseLong(dropped.group(1));
            System.out.printf("VRRP netns: 10000 malformed packets at the master: still master, %s%n", m.group(1));
            assertThat(drops).isGreaterThanOrEqualTo(9_000);
            gwA.destroy();
            gwA.waitFor(10, TimeUnit.SECONDS);
        } finally {
            System.out.printf("VRRP netns: test took %.1f s (namespaces deleted); client saw %s%n",
                    (System.nanoTime() - began) / 1e9, summary());
        }
    }

    /** The JVM's pid: {@code ip netns exec} runs it in place, but look one level down in case it forked. */
    static long javaPid(Process p) {
        if (p.info().command().orElse("").endsWith("java")) {
            return p.pid();
        }
        return p.children().findFirst().map(ProcessHandle::pid).orElse(p.pid());
    }

    /**
     * The number the kernel gives {@code pid}'s next descriptor: the lowest one not open. The limit caps
     * descriptor numbers, not their count, so a limit of "descriptors open + 3" leaves every gap below
     * it free too; a JVM that opened and closed many files can have more than 20 such gaps.
     */
    private static int lowestFreeDescriptor(long pid) throws IOException {
        java.util.Set<Integer> open;
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            open = fds.map(f -> Integer.parseInt(f.getFileName().toString())).collect(java.util.stream.Collectors.toSet());
        }
        int n = 0;
        while (open.contains(n)) {
            n++;
        }
        return n;
    }

    /** The soft "Max open files" limit of {@code pid}, as prlimit takes it back. */
    static String softFileLimit(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
            if (line.startsWith("Max open files")) {
                return line.substring("Max open files".length()).trim().split("\\s+")[0];
            }
        }
        throw new IOException("no open-files limit for " + pid);
    }

    /**
     * Manual fail-back: the primary (A, priority 100) comes back with {@code preempt: false} and leaves the
     * serving backup (B) alone, until the operator tells B over its admin API to release the address: B sends
     * priority 0 and A takes over after its Skew_Time (61 ms at priority 100), without a restart of either.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anOperatorFailsBackByReleasingTheMasterThroughTheAdminApi() throws Exception {
        Optional<String> why = Netns.unavailable();
        assumeTrue(why.isEmpty(), () -> "VRRP namespace test skipped: " + why.orElse(""));
        Files.createDirectories(LOGS);
        try (Netns net = new Netns("m")) {
            String[] nodes = bridged(net);
            String c = nodes[0];
            String a = nodes[1];
            String b = nodes[2];
            net.exec(a, LOGS.resolve("fb-backend-a.log"), Netns.java(NetnsTools.class.getName(), "backend", "127.0.0.1", "8081", "node-a"));
            net.exec(b, LOGS.resolve("fb-backend-b.log"), Netns.java(NetnsTools.class.getName(), "backend", "127.0.0.1", "8081", "node-b"));
            gateway(net, b, writeConfig("b", 50, true), "fb-gateway-b.log");
            Process probe = net.execPiped(c, LOGS.resolve("fb-probe.err"), Netns.java(NetnsTools.class.getName(), "probe", VIP, "8080", "100"));
            Thread.ofPlatform().daemon().start(() -> read(probe));
            awaitOutcome("node-b", 0, Duration.ofSeconds(20), "the only node to answer on the VIP");

            gateway(net, a, writeConfig("a", 100, false), "fb-gateway-a.log");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> Files.readString(LOGS.resolve("fb-gateway-a.log")).contains("INITIALIZE -> BACKUP"));
            Thread.sleep(1_000); // several Master_Down_Intervals: a preempting node would have taken over
            assertThat(lastOutcome()).as("without preempt the returning primary leaves the backup serving").isEqualTo("node-b");

            Process post = net.execPiped(b, LOGS.resolve("fb-post.err"),
                    Netns.java(NetnsTools.class.getName(), "post", "http://127.0.0.1:9901/api/vrrp/VI_1/release"));
            String answer = new String(post.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(post.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(answer).startsWith("200 ").contains("\"changed\":true").contains("\"state\":\"backup\"");
            long released = loggedAt(LOGS.resolve("fb-gateway-b.log"), "released by admin API");
            long served = awaitOutcome("node-a", released, Duration.ofSeconds(5), "the primary after the release") - released;
            long aMaster = loggedAt(LOGS.resolve("fb-gateway-a.log"), "BACKUP -> MASTER", released) - released;
            System.out.printf("VRRP netns: manual fail-back -> primary is MASTER %d ms after the release (Skew_Time "
                    + "61 ms), answers on the VIP after %d ms (limit %d ms incl. %d ms CI slack)%n", aMaster, served,
                    100 + CI_SLACK_MILLIS, CI_SLACK_MILLIS);
            assertThat(aMaster).isLessThanOrEqualTo(61 + 50);
            assertThat(served).isLessThanOrEqualTo(100 + CI_SLACK_MILLIS);
            Thread.sleep(1_000);
            assertThat(lastOutcome()).as("the released node stays backup behind the higher primary").isEqualTo("node-a");
        }
    }

    /** Namespaces c (the client, on bridge br0 as 10.213.0.1), a (10.213.0.2) and b (10.213.0.3): c, a, b. */
    static String[] bridged(Netns net) throws IOException {
        String c = net.add("c");
        String a = net.add("a");
        String b = net.add("b");
        Netns.ip("-n", c, "link", "add", "br0", "type", "bridge", "forward_delay", "0");
        Netns.ip("-n", c, "addr", "add", "10.213.0.1/24", "dev", "br0");
        Netns.ip("-n", c, "link", "set", "br0", "up");
        link(c, "va", a, "10.213.0.2/24");
        link(c, "vb", b, "10.213.0.3/24");
        return new String[] {c, a, b};
    }

    static void link(String bridgeNs, String port, String nodeNs, String cidr) throws IOException {
        Netns.ip("link", "add", port, "netns", bridgeNs, "type", "veth", "peer", "name", "eth0", "netns", nodeNs);
        Netns.ip("-n", bridgeNs, "link", "set", port, "master", "br0");
        Netns.ip("-n", bridgeNs, "link", "set", port, "up");
        Netns.ip("-n", nodeNs, "addr", "add", cidr, "dev", "eth0");
        Netns.ip("-n", nodeNs, "link", "set", "eth0", "up");
    }

    static Process gateway(Netns net, String ns, Path config, String log) throws IOException {
        return net.exec(ns, LOGS.resolve(log), Netns.java("io.bulwark.cli.Main", "run", "--config", config.toString()));
    }

    static Path writeConfig(String node, int priority) throws IOException {
        return writeConfig(node, priority, true);
    }

    static Path writeConfig(String node, int priority, boolean preempt) throws IOException {
        Path file = LOGS.resolve("gateway-" + node + (preempt ? "" : "-nopreempt") + ".yaml").toAbsolutePath();
        // epoll: io_uring's accept does not keep to a lowered descriptor limit (gateway A took 20 clients as
        // descriptors 54..80 under a limit of 54), so under io_uring the starved master's listener keeps
        // accepting and only the probe's own socket() fails, when no lower descriptor happens to be free.
        Files.writeString(file, """
                workers: 1
                transport: epoll
                listeners:
                  - name: web
                    bind: 0.0.0.0:8080
                routes:
                  - upstream: app
                upstreams:
                  app:
                    connect_timeout: 200ms
                    servers:
                      - address: 127.0.0.1:8081
                    health_check:
                      type: tcp
                      interval: 100ms
                      timeout: 100ms
                      rise: 1
                      fall: 1
                admin:
                  bind: 127.0.0.1:9901
                access_log:
                  path: /dev/null
                vrrp:
                  instances:
                    - name: VI_1
                      interface: eth0
                      virtual_router_id: 51
                      priority: PRIORITY
                      advert_interval: 100ms
                      preempt: PREEMPT
                      virtual_ips: [10.213.0.100/24]
                      track:
                        - listener: web
                          weight: -60
                        - upstream: app
                          weight: -60
                        - script: /bin/sh -c 'test ! -e FLAG'
                          interval: 100ms
                          weight: -60
                      peer_priority: PEER
                """.replace("PRIORITY", Integer.toString(priority)).replace("PREEMPT", Boolean.toString(preempt)).replace("PEER", priority == 100 ? "50" : "100")
                .replace("FLAG", LOGS.resolve(node + "-maintenance").toAbsolutePath().toString()));
        return file;
    }

    void read(Process probe) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int sp = line.indexOf(' ');
                if (sp > 0) {
                    seen.add(new Seen(Long.parseLong(line.substring(0, sp)), line.substring(sp + 1)));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // the probe ended
        }
    }

    /** When the client first saw {@code outcome} at or after {@code since}; fails after {@code limit}. */
    long awaitOutcome(String outcome, long since, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            for (Seen s : seen) {
                if (s.millis() >= since && s.outcome().equals(outcome)) {
                    return s.millis();
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("waited " + limit.toMillis() + " ms for " + what + " (" + outcome + "); client saw "
                + summary() + "; logs in " + LOGS.toAbsolutePath());
    }

    /** Epoch millis of the first log line containing {@code what} (slf4j-simple's ISO timestamp first). */
    static long loggedAt(Path log, String what) throws IOException {
        return loggedAt(log, what, 0);
    }

    /** The same, for the first such line at or after {@code since} (epoch millis). */
    static long loggedAt(Path log, String what, long since) throws IOException {
        for (String line : Files.readAllLines(log)) {
            if (line.contains(what)) {
                long at = java.time.Instant.parse(line.substring(0, line.indexOf(' '))).toEpochMilli();
                if (at >= since) {
                    return at;
                }
            }
        }
        throw new AssertionError("no '" + what + "' in " + log + " after " + since);
    }

    String lastOutcome() {
        return seen.isEmpty() ? "" : seen.getLast().outcome();
    }

    String summary() {
        if (seen.isEmpty()) {
            return "nothing";
        }
        long t0 = seen.getFirst().millis();
        StringBuilder b = new StringBuilder();
        for (Seen s : seen.subList(Math.max(0, seen.size() - 40), seen.size())) {
            b.append(String.format("%n  +%d ms %s", s.millis() - t0, s.outcome()));
        }
        return b.toString();
    }
}

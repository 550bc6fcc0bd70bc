package io.bulwark.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds {@code vrrp:}, keepalived's {@code vrrp_instance} blocks in YAML. Every field is checked at its
 * own node, so a wrong value is reported at its line and column; tracked listeners and upstreams must
 * exist in the same file.
 */
final class VrrpBinder {
    static final int DEFAULT_VERSION = 3;
    static final int DEFAULT_PRIORITY = 100;
    static final Duration DEFAULT_ADVERT_INTERVAL = Duration.ofSeconds(1);
    // A check tracker fails on a HARD CRITICAL state, or from a HARD WARNING on with "on: warning".
    private static final Map<String, Boolean> ON = new LinkedHashMap<>();

    static {
        ON.put("critical", false);
        ON.put("warning", true);
    }

    static final List<String> TRACK_KINDS = List.of("listener", "upstream", "check", "script");

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV4_CIDR = Pattern.compile(IPV4.pattern() + "(/(3[0-2]|[12]?\\d))?");
    private static final String IPV4_EXPECTED = "an IPv4 address like 192.168.1.10";
    private static final String CIDR_EXPECTED = "an IPv4 address with an optional prefix length, like 192.168.1.100/24";
    private static final Map<String, String> AUTH_TYPES = Map.of("pass", "pass");

    private VrrpBinder() {}

    /** What trackers may name: the listeners, upstreams and monitor checks of the same file. */
    record Known(Collection<String> listeners, Collection<String> upstreams, Collection<String> checks) {}

    /** @param known the names in the file that {@code track:} entries are checked against */
    static VrrpConfig bind(Value vrrp, Known known) {
        return vrrp.section("a mapping with instances").map(s -> {
            List<VrrpInstanceConfig> instances = new ArrayList<>();
            s.required("instances", "a list of VRRP instances").flatMap(v -> v.list(true, "a list of VRRP instances"))
                    .ifPresent(items -> bindAll(items, known, instances));
            s.finish();
            try {
                return new VrrpConfig(instances);
            } catch (IllegalArgumentException e) {
                vrrp.problem(e.getMessage()); // unreachable when the checks below agree with the record's
                return VrrpConfig.none();
            }
        }).orElse(VrrpConfig.none());
    }

    private static void bindAll(List<Value> items, Known known,
            List<VrrpInstanceConfig> into) {
        Map<String, String> nameAt = new HashMap<>();
        Map<String, String> routerAt = new HashMap<>();
        for (Value item : items) {
            item.section("a VRRP instance mapping with name, interface, virtual_router_id, virtual_ips")
                    .ifPresent(s -> {
                        VrrpInstanceConfig c = bind(s, known);
                        if (c == null) {
                            return;
                        }
                        String firstName = nameAt.putIfAbsent(c.name(), s.path());
                        if (firstName != null) {
                            s.optional("name").ifPresent(v -> v.problem("duplicate instance name '" + c.name()
                                    + "' (first at " + firstName + ")"));
                            return;
                        }
                        String router = c.interfaceName() + " id " + c.virtualRouterId();
                        String first = routerAt.putIfAbsent(router, s.path());
                        if (first != null) {
                            s.optional("virtual_router_id").ifPresent(v -> v.problem(c.virtualRouterId()
                                    + " already used on " + c.interfaceName() + " by " + first
                                    + " (expected: one instance per interface and virtual_router_id)"));
                            return;
                        }
                        into.add(c);
                    });
        }
    }

    /** One instance, or {@code null} when any field had a problem (already recorded). */
    private static VrrpInstanceConfig bind(Section s, Known known) {
        boolean[] ok = {true};
        String name = s.required("name", Names.EXPECTED).flatMap(v -> v.matching(Names.PATTERN, Names.EXPECTED))
                .orElse(null);
        String iface = s.required("interface", "a network interface name like eth0")
                .flatMap(v -> v.matching(Pattern.compile("[A-Za-z0-9_.@:-]{1,15}"), "a network interface name like eth0"))
                .orElse(null);
        int vrid = s.required("virtual_router_id", "an integer in 1..255")
                .map(v -> v.integer(1, 255).orElse(-1)).orElse(-1);
        int version = s.integer("version", 2, 3, -1);
        if (version == -1) {
            ok[0] &= s.optional("version").isEmpty();
            version = DEFAULT_VERSION;
        }
        int priority = s.integer("priority", 1, 255, -1);
        if (priority == -1) {
            ok[0] &= s.optional("priority").isEmpty();
            priority = DEFAULT_PRIORITY;
        }
        final int v = version;
        Duration interval = s.optional("advert_interval")
                .flatMap(val -> val.duration(Duration.ofMillis(1), Duration.ofSeconds(255)).flatMap(d -> interval(val, v, d)))
                .orElse(s.optional("advert_interval").isPresent() ? null : DEFAULT_ADVERT_INTERVAL);
        String password = s.optional("authentication").flatMap(a -> authentication(a, v)).orElse(null);
        ok[0] &= s.optional("authentication").isEmpty() || password != null;
        boolean preempt = s.bool("preempt", true);
        Duration preemptDelay = s.duration("preempt_delay", Duration.ZERO, Duration.ofSeconds(1000), Duration.ZERO);
        String source = s.optional("source_address").map(a -> a.matching(IPV4, IPV4_EXPECTED).orElse("")).orElse(null);
        List<String> peers = s.optional("unicast_peers").map(p -> addresses(p, false, IPV4, IPV4_EXPECTED, ok))
                .orElse(List.of());
        List<String> vips = s.required("virtual_ips", "a list of virtual addresses like 192.168.1.100/24")
                .map(p -> addresses(p, true, IPV4_CIDR, CIDR_EXPECTED, ok)).orElse(null);
        List<TrackConfig> tracks = s.optional("track").map(t -> tracks(t, known, ok)).orElse(List.of());
        List<String> notify = s.optional("notify").flatMap(VrrpBinder::command).orElse(List.of());
        ok[0] &= s.optional("notify").isEmpty() || !notify.isEmpty();
        int peerPriority = s.integer("peer_priority", 1, 255, 0);
        ok[0] &= s.optional("peer_priority").isEmpty() || peerPriority != 0;
        if (source != null && source.isEmpty()) {
            ok[0] = false;
        }
        s.finish();
        if (!ok[0] || name == null || iface == null || vrid < 0 || interval == null || vips == null) {
            return null;
        }
        try {
            return new VrrpInstanceConfig(name, version, iface, vrid, priority, interval, preempt, preemptDelay, source,
                    peers, vips, password, tracks, notify, peerPriority);
        } catch (IllegalArgumentException e) {
            s.value().problem(e.getMessage());
            return null;
        }
    }

    /** v3 counts the interval in centiseconds, v2 in whole seconds (RFC 5798 §5.2.7, RFC 3768 §5.3.7). */
    private static Optional<Duration> interval(Value value, int version, Duration d) {
        long ms = d.toMillis();
        if (version == 3 && (ms % 10 != 0 || ms < 10 || ms > 40_950)) {
            value.problem(value.display() + " (expected: 10ms..40950ms in steps of 10ms with version 3)");
            return Optional.empty();
        }
        if (version == 2 && (ms % 1000 != 0 || ms < 1000)) {
            value.problem(value.display() + " (expected: 1s..255s in whole seconds with version 2; "
                    + "sub-second intervals need version: 3)");
            return Optional.empty();
        }
        return Optional.of(d);
    }

    private static Optional<String> authentication(Value value, int version) {
        return value.section("a mapping with type: pass and password").flatMap(s -> {
            Optional<String> type = s.required("type", "pass").flatMap(t -> t.choice(AUTH_TYPES));
            Optional<Value> pwValue = s.required("password", "1..8 printable ASCII characters");
            Optional<String> password = pwValue.flatMap(p -> p.text("1..8 printable ASCII characters"));
            s.finish();
            if (type.isEmpty() || password.isEmpty()) {
                return Optional.empty();
            }
            String pw = password.get();
            if (version != 2) {
                value.problem("set with version " + version + " (expected: only with version: 2; RFC 5798 removed "
                        + "authentication)");
                return Optional.empty();
            }
            if (pw.isEmpty() || pw.length() > 8 || !pw.chars().allMatch(c -> c > 32 && c < 127)) {
                pwValue.get().problem(pw.length() + " characters (expected: 1..8 printable ASCII characters; "
                        + "keepalived silently cuts longer ones to 8)");
                return Optional.empty();
            }
            return Optional.of(pw);
        });
    }

    private static List<String> addresses(Value list, boolean nonEmpty, Pattern pattern, String expected, boolean[] ok) {
        List<String> out = new ArrayList<>();
        Optional<List<Value>> items = list.list(nonEmpty, "a list of " + expected.replaceFirst("^an? ", "") );
        if (items.isEmpty()) {
            ok[0] = false;
            return out;
        }
        if (items.get().size() > 255) {
            list.problem(items.get().size() + " entries (expected: at most 255)");
            ok[0] = false;
        }
        for (Value item : items.get()) {
            item.matching(pattern, expected).ifPresentOrElse(out::add, () -> ok[0] = false);
        }
        return out;
    }

    private static List<TrackConfig> tracks(Value list, Known known,
            boolean[] ok) {
        List<TrackConfig> out = new ArrayList<>();
        Map<String, String> targetAt = new LinkedHashMap<>();
        for (Value item : list.list(false, "a list of tracked listeners, upstreams, checks or scripts").orElseGet(() -> {
            ok[0] = false;
            return List.of();
        })) {
            item.section("a mapping with listener, upstream, check or script, and weight").ifPresentOrElse(s -> {
                TrackConfig t = track(s, known);
                if (t == null) {
                    ok[0] = false;
                    return;
                }
                String first = targetAt.putIfAbsent(t.target(), s.path());
                if (first != null) {
                    s.value().problem("tracks " + t.target() + " again (first at " + first + ")");
                    ok[0] = false;
                    return;
                }
                out.add(t);
            }, () -> ok[0] = false);
        }
        return out;
    }

    private static TrackConfig track(Section s, Known known) {
        List<String> kinds = new ArrayList<>();
        String target = null;
        boolean bad = false;
        for (String kind : TRACK_KINDS) {
            Optional<Value> v = s.optional(kind);
            if (v.isEmpty()) {
                continue;
            }
            kinds.add(kind);
            Optional<String> subject = switch (kind) {
                case "listener" -> named(v.get(), "listener", known.listeners());
                case "upstream" -> named(v.get(), "upstream", known.upstreams());
                case "check" -> named(v.get(), "monitor check", known.checks());
                default -> command(v.get()).map(c -> v.get().text("").orElseThrow());
            };
            if (subject.isEmpty()) {
                bad = true;
            } else {
                target = kind + ":" + subject.get();
            }
        }
        int weight = s.integer("weight", -254, 0, 1);
        Duration interval = s.duration("interval", Duration.ofMillis(10), Duration.ofHours(1),
                TrackConfig.DEFAULT_SCRIPT_INTERVAL);
        if (kinds.size() > 1) {
            s.value().problem("tracks " + String.join(" and ", kinds) + " (expected: exactly one of "
                    + String.join(", ", TRACK_KINDS) + " per entry)");
            bad = true;
        }
        if (kinds.isEmpty()) {
            s.value().problem("nothing to track (expected: one of " + String.join(", ", TRACK_KINDS) + ")");
            bad = true;
        }
        boolean onWarning = s.optional("on").flatMap(v -> v.choice(ON)).orElse(false);
        if (!kinds.contains("check") && s.optional("on").isPresent()) {
            s.optional("on").get().problem("set on a " + (kinds.isEmpty() ? "tracker" : kinds.getFirst())
                    + " tracker (expected: only with check, to fail on a warning as well as a critical state)");
            bad = true;
        }
        if (!kinds.contains("script") && s.optional("interval").isPresent()) {
            s.optional("interval").get().problem("set on a " + (kinds.isEmpty() ? "tracker" : kinds.getFirst())
                    + " tracker (expected: only with script; listeners, upstreams and checks are watched continuously)");
            bad = true;
        }
        s.finish();
        if (weight == 1) {
            // Absent: keepalived's default weight 0, FAULT while failing. Present but bad: already reported.
            if (s.optional("weight").isPresent()) {
                bad = true;
            }
            weight = 0;
        }
        return bad || target == null ? null : new TrackConfig(target, weight, interval, onWarning);
    }

    /** A listener or upstream name that exists in the file; {@code known == null} skips the check. */
    private static Optional<String> named(Value v, String what, Collection<String> known) {
        return v.matching(Names.PATTERN, Names.EXPECTED).filter(n -> {
            if (known.contains(n)) {
                return true;
            }
            v.problem("no " + what + " named '" + n + "' " + DidYouMean.hint(n, known));
            return false;
        });
    }

    /** A non-empty command line split as a shell would; shared with the monitor's exec checks. */
    static Optional<List<String>> command(Value v) {
        return v.text("a command line").flatMap(t -> {
            try {
                List<String> argv = Commands.split(t);
                if (argv.isEmpty()) {
                    v.problem("empty command (expected: a program path and arguments)");
                    return Optional.empty();
                }
                return Optional.of(argv);
            } catch (IllegalArgumentException e) {
                v.problem(e.getMessage() + " (expected: a command line, quoted like a shell's; no shell runs it)");
                return Optional.empty();
            }
        });
    }
}

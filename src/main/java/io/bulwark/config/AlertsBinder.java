package io.bulwark.config;

import io.bulwark.core.Severity;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Binds {@code alerts:}: channels by name, rules that name them, maintenance windows, and delivery settings.
 * A rule naming a channel that does not exist, a template with a placeholder no alert fills in, a secret whose
 * file or variable is missing: each is a problem at its line and column.
 */
final class AlertsBinder {
    private static final Map<String, Severity> SEVERITIES = Arrays.stream(Severity.values())
            .collect(Collectors.toMap(Severity::label, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    private static final Map<String, AlertChannelConfig.Tls> TLS = Arrays.stream(AlertChannelConfig.Tls.values())
            .collect(Collectors.toMap(t -> t.name().toLowerCase(Locale.ROOT), Function.identity(), (a, b) -> a,
                    LinkedHashMap::new));
    private static final Map<String, String> TYPES = Map.of("email", "email", "sms", "sms", "webhook", "webhook",
            "exec", "exec").entrySet().stream().sorted(Map.Entry.comparingByKey()).collect(Collectors.toMap(
            Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>]+@[^@\\s<>]+");
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_.:\\[\\]*/-]+");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private AlertsBinder() {}

    static AlertsConfig bind(Value alerts) {
        AlertsConfig d = AlertsConfig.NONE;
        return alerts.section("a mapping with channels and rules").map(s -> {
            String node = s.text("node", "a name for this gateway", hostName());
            String dashboard = s.optional("dashboard").flatMap(v -> url(v, "a URL like http://gw1:9901/"))
                    .map(URI::toString).orElse("");
            Duration groupWait = s.duration("group_wait", Duration.ZERO, Duration.ofMinutes(5), d.groupWait());
            int queue = s.integer("queue", 1, 1_000_000, d.queue());
            Duration retryInitial = s.duration("retry_initial", Duration.ofMillis(10), Duration.ofHours(1),
                    d.retryInitial());
            Duration retryMax = s.duration("retry_max", Duration.ofMillis(10), Duration.ofDays(1), d.retryMax());
            Optional<Path> spool = s.optional("spool_dir").flatMap(AlertsBinder::directory);
            // Every channel named keeps its name, a broken one too, so rules naming it are not reported as well.
            Map<String, AlertChannelConfig> declared = s.optional("channels").map(AlertsBinder::channels)
                    .orElse(Map.of());
            Map<String, AlertChannelConfig> channels = new LinkedHashMap<>();
            declared.forEach((n, c) -> {
                if (c != null) {
                    channels.put(n, c);
                }
            });
            List<AlertRuleConfig> rules = s.optional("rules").map(v -> rules(v, declared.keySet())).orElse(List.of());
            List<MaintenanceWindow> maintenance = s.optional("maintenance").map(AlertsBinder::windows)
                    .orElse(List.of());
            s.finish();
            return new AlertsConfig(node, dashboard, groupWait, queue, retryInitial, retryMax, spool, channels, rules,
                    maintenance);
        }).orElse(d);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "bulwark";
        }
    }

    private static Map<String, AlertChannelConfig> channels(Value v) {
        Map<String, AlertChannelConfig> out = new LinkedHashMap<>();
        v.section("a mapping from channel name to channel").ifPresent(all -> {
            for (Section.Entry e : all.entries()) {
                e.key().matching(Names.PATTERN, Names.EXPECTED);
                e.value().section("a channel mapping with type").map(s -> channel(e.name(), s))
                        .ifPresent(c -> out.put(e.name(), c));
                out.putIfAbsent(e.name(), null); // a broken channel keeps its name: rules naming it are fine
            }
            all.finish();
        });
        return out;
    }

    private static AlertChannelConfig channel(String name, Section s) {
        String type = s.required("type", "one of " + String.join(", ", TYPES.keySet()))
                .flatMap(v -> v.choice(TYPES)).orElse("");
        Duration timeout = s.duration("timeout", Duration.ofMillis(100), Duration.ofMinutes(5), DEFAULT_TIMEOUT);
        AlertChannelConfig c = switch (type) {
            case "email" -> email(name, s, timeout);
            case "sms" -> sms(name, s, timeout);
            case "webhook" -> new AlertChannelConfig.Webhook(name,
                    s.required("url", "a URL like https://hooks.example.com/bulwark").flatMap(v -> url(v, "an http"
                            + " or https URL")).orElse(null),
                    s.optional("secret").flatMap(AlertsBinder::secret).orElse(null), timeout);
            case "exec" -> new AlertChannelConfig.Exec(name,
                    s.required("command", "a command line").flatMap(VrrpBinder::command).orElse(List.of()), timeout);
            default -> null;
        };
        s.finish(); // reports the keys of other types as unknown, with a hint
        return c;
    }

    private static AlertChannelConfig email(String name, Section s, Duration timeout) {
        AlertChannelConfig.Tls tls = s.choice("tls", TLS, AlertChannelConfig.Tls.STARTTLS);
        int defaultPort = switch (tls) {
            case NONE -> 25;
            case STARTTLS -> 587;
            case IMPLICIT -> 465;
        };
        String host = s.required("host", "the SMTP server's name").flatMap(v -> v.text("a host name")).orElse(null);
        int port = s.integer("port", 1, 65535, defaultPort);
        String username = s.text("username", "an SMTP user name", "");
        Secret password = s.optional("password").flatMap(AlertsBinder::secret).orElse(null);
        if (username.isEmpty() != s.optional("password").isEmpty()) {
            s.value().problem("username and password go together (expected: both, for SMTP AUTH, or neither)");
        }
        String from = s.required("from", "a sender address like bulwark@example.com")
                .flatMap(v -> v.matching(ADDRESS, "a mail address like bulwark@example.com")).orElse(null);
        List<String> to = s.required("to", "a list of addresses").map(AlertsBinder::addresses).orElse(List.of());
        return new AlertChannelConfig.Email(name, host, port, tls, username, password, from, to, timeout);
    }

    private static AlertChannelConfig sms(String name, Section s, Duration timeout) {
        URI url = s.required("url", "the SMS gateway's URL").flatMap(v -> url(v, "an http or https URL")).orElse(null);
        String method = s.optional("method").flatMap(v -> v.matching(Pattern.compile("GET|POST|PUT"), "GET, POST or PUT"))
                .orElse("POST");
        Map<String, Template> headers = new LinkedHashMap<>();
        s.optional("headers").flatMap(v -> v.section("a mapping from header name to value")).ifPresent(h -> {
            for (Section.Entry e : h.entries()) {
                e.value().text("a header value").flatMap(t -> template(e.value(), t)).ifPresent(t ->
                        headers.put(e.name(), t));
            }
            h.finish();
        });
        Template body = s.optional("body").flatMap(v -> v.text("a body template").flatMap(t -> template(v, t)))
                .orElse(Template.parse("{{summary}}"));
        int maxLength = s.integer("max_length", 10, 10_000, 160);
        Secret token = s.optional("token").flatMap(AlertsBinder::secret).orElse(null);
        return new AlertChannelConfig.Sms(name, url, method, Map.copyOf(headers), body, maxLength, token, timeout);
    }

    private static Optional<Template> template(Value v, String text) {
        try {
            return Optional.of(Template.parse(text, Set.of("token")));
        } catch (IllegalArgumentException e) {
            v.problem(e.getMessage());
            return Optional.empty();
        }
    }

    private static List<String> addresses(Value v) {
        List<String> out = new ArrayList<>();
        v.list(true, "a list of mail addresses").ifPresent(items -> {
            for (Value item : items) {
                item.matching(ADDRESS, "a mail address like ops@example.com").ifPresent(out::add);
            }
        });
        return out;
    }

    /** A string, {@code {file: PATH}} or {@code {env: NAME}}; a missing file or variable is a problem here. */
    static Optional<Secret> secret(Value v) {
        if (v.node() instanceof org.snakeyaml.engine.v2.nodes.ScalarNode) {
            return v.text("a secret, {file: PATH} or {env: NAME}").map(t -> new Secret(t, "written in the config"));
        }
        return v.section("a secret: a string, {file: PATH} or {env: NAME}").flatMap(s -> {
            Optional<Value> file = s.optional("file");
            Optional<Value> env = s.optional("env");
            s.finish();
            if (file.isPresent() == env.isPresent()) {
                v.problem("a secret comes from one place (expected: file or env, not both and not neither)");
                return Optional.empty();
            }
            if (file.isPresent()) {
                return file.get().text("a file path").flatMap(p -> {
                    try {
                        String text = Files.readString(Path.of(p)).strip();
                        if (!text.isEmpty()) {
                            return Optional.of(new Secret(text, "from file " + p));
                        }
                        file.get().problem(p + " is empty (expected: a file holding the secret)");
                    } catch (java.io.IOException | RuntimeException e) {
                        file.get().problem(p + ": cannot read it (expected: a readable file holding the secret)");
                    }
                    return Optional.empty();
                });
            }
            return env.get().text("an environment variable's name").flatMap(n -> {
                String value = System.getenv(n);
                if (value == null || value.isEmpty()) {
                    env.get().problem(n + " is not set (expected: an environment variable holding the secret)");
                    return Optional.empty();
                }
                return Optional.of(new Secret(value, "from env " + n));
            });
        });
    }

    private static List<AlertRuleConfig> rules(Value v, Set<String> channels) {
        List<AlertRuleConfig> out = new ArrayList<>();
        v.list(false, "a list of rules").ifPresent(items -> {
            for (Value item : items) {
                item.section("a rule mapping with channels").map(s -> rule(s, channels)).ifPresent(out::add);
            }
        });
        return out;
    }

    private static AlertRuleConfig rule(Section s, Set<String> channels) {
        List<String> sources = s.optional("sources").map(AlertsBinder::sources).orElse(List.of("**"));
        Severity min = s.choice("min_severity", SEVERITIES, Severity.WARNING);
        List<String> to = s.required("channels", "a list of channel names").map(c -> names(c, channels))
                .orElse(List.of());
        Duration interval = s.duration("notification_interval", Duration.ZERO, Duration.ofDays(7), Duration.ofHours(1));
        boolean recoveries = s.bool("recoveries", true);
        int[] after = {0};
        Duration[] afterTime = {Duration.ZERO};
        List<String> escalateTo = new ArrayList<>();
        s.optional("escalate").flatMap(e -> e.section("a mapping with after or after_time, and to")).ifPresent(e -> {
            after[0] = e.integer("after", 1, 1000, 0);
            afterTime[0] = e.duration("after_time", Duration.ofSeconds(1), Duration.ofDays(7), Duration.ZERO);
            e.required("to", "a list of channel names").map(c -> names(c, channels)).ifPresent(escalateTo::addAll);
            if (e.optional("after").isEmpty() && e.optional("after_time").isEmpty()) {
                e.required("after", "a number of notifications (or after_time: a duration)");
            }
            e.finish();
        });
        s.finish();
        return new AlertRuleConfig(sources, min, to, interval, recoveries, after[0], afterTime[0], escalateTo);
    }

    private static List<String> sources(Value v) {
        List<String> out = new ArrayList<>();
        v.list(true, "a list of source patterns like upstream/*").ifPresent(items -> {
            for (Value item : items) {
                item.matching(SOURCE, "a source pattern like upstream/app/*, vrrp/VI_1 or monitor/**")
                        .ifPresent(out::add);
            }
        });
        return out;
    }

    private static List<String> names(Value v, Set<String> channels) {
        List<String> out = new ArrayList<>();
        v.list(true, "a list of channel names").ifPresent(items -> {
            for (Value item : items) {
                item.matching(Names.PATTERN, Names.EXPECTED).filter(n -> {
                    if (channels.contains(n)) {
                        return true;
                    }
                    item.problem("no channel named '" + n + "' " + (channels.isEmpty()
                            ? "(expected: a channel defined under alerts.channels)" : DidYouMean.hint(n, channels)));
                    return false;
                }).ifPresent(out::add);
            }
        });
        return out;
    }

    private static List<MaintenanceWindow> windows(Value v) {
        List<MaintenanceWindow> out = new ArrayList<>();
        v.list(false, "a list of maintenance windows").ifPresent(items -> {
            for (Value item : items) {
                item.section("a window mapping with sources, from and until").ifPresent(s -> {
                    List<String> sources = s.required("sources", "a list of source patterns")
                            .map(AlertsBinder::sources).orElse(List.of());
                    Optional<Instant> from = s.required("from", "a time like 2026-12-08T02:00:00Z")
                            .flatMap(AlertsBinder::instant);
                    Optional<Instant> until = s.required("until", "a time like 2026-12-08T03:00:00Z")
                            .flatMap(AlertsBinder::instant);
                    String reason = s.text("reason", "why, for the journal", "maintenance");
                    if (from.isPresent() && until.isPresent() && !until.get().isAfter(from.get())) {
                        s.optional("until").get().problem(until.get() + " is not after from " + from.get()
                                + " (expected: a window that ends after it begins)");
                    } else if (from.isPresent() && until.isPresent()) {
                        out.add(new MaintenanceWindow(sources, from.get(), until.get(), reason));
                    }
                    s.finish();
                });
            }
        });
        return out;
    }

    private static Optional<Instant> instant(Value v) {
        return v.text("a time like 2026-12-08T02:00:00Z").flatMap(t -> {
            try {
                return Optional.of(java.time.OffsetDateTime.parse(t).toInstant());
            } catch (DateTimeParseException e) {
                v.problem(t + " (expected: a time with its offset, like 2026-12-08T02:00:00Z or"
                        + " 2026-12-08T10:00:00+08:00)");
                return Optional.empty();
            }
        });
    }

    private static Optional<URI> url(Value v, String expected) {
        return v.text(expected).flatMap(t -> {
            try {
                URI u = new URI(t);
                if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                    return Optional.of(u);
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            v.problem(t + " (expected: " + expected + ")");
            return Optional.empty();
        });
    }

    private static Optional<Path> directory(Value v) {
        return v.text("a directory path").flatMap(t -> {
            Path p = Path.of(t).toAbsolutePath();
            if (Files.isDirectory(p) || Files.isDirectory(p.getParent())) {
                return Optional.of(p); // created at start when only its parent exists
            }
            v.problem(t + ": neither it nor its parent directory exists (expected: a directory for the spool)");
            return Optional.empty();
        });
    }
}

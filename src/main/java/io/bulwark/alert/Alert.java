package io.bulwark.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.bulwark.core.Severity;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One message to send: what happened to which sources, on which node. Several incidents that began together
 * travel as one alert (grouped); each channel writes it its own way from {@link #subject()}, {@link #summary()},
 * {@link #body()} or {@link #toJson()}, and the spool keeps it as that JSON.
 *
 * @param id unique per alert, so a receiver can tell a redelivery after a restart from a new alert
 * @param dashboard a link to the dashboard, or empty
 */
public record Alert(String id, Kind kind, Severity severity, String node, long timestampMillis, List<Item> items,
        String dashboard) {
    private static final JsonFactory JSON = new JsonFactory();

    /** What the alert says happened. */
    public enum Kind {
        /** A problem began, or got worse. */
        PROBLEM,
        /** A notified problem ended. */
        RECOVERY,
        /** A problem still lasts, one notification interval after the last alert about it. */
        REMINDER,
        /** A source started changing state too often to notify each change; one alert until it settles. */
        FLAPPING_START,
        /** It settled. */
        FLAPPING_STOP
    }

    /**
     * One source in the alert, as it stands.
     *
     * @param sinceMillis when it entered this state
     * @param reason why, with the numbers that decided it: a check's last output, a server's layered cause
     */
    public record Item(String source, String previous, String current, Severity severity, long sinceMillis,
            String reason) {}

    public Alert {
        items = List.copyOf(items);
        dashboard = dashboard == null ? "" : dashboard;
        if (items.isEmpty()) {
            throw new IllegalArgumentException("an alert about nothing (expected: at least one item)");
        }
    }

    /** The subject of a mail: {@code [bulwark gw1] PROBLEM CRITICAL: upstream/app/10.0.0.5:8080 DOWN}. */
    public String subject() {
        return "[bulwark " + node + "] " + kind + " " + severity.label().toUpperCase(Locale.ROOT) + ": " + sources(3);
    }

    /**
     * One line, for an SMS: {@code PROBLEM CRITICAL upstream/app/10.0.0.5:8080 DOWN since 00:41:02Z: L4 refused
     * (3/3) [gw1]}; a group names its first sources and how many more.
     */
    public String summary() {
        Item first = items.getFirst();
        String what = items.size() == 1
                ? first.source() + " " + first.current() + " since " + clock(first.sinceMillis()) + ": " + first.reason()
                : sources(3);
        return kind + " " + severity.label().toUpperCase(Locale.ROOT) + " " + what + " [" + node + "]";
    }

    /** A plain-text body: what, where, since when, why, and the dashboard's link. */
    public String body() {
        StringBuilder b = new StringBuilder();
        b.append(kind).append(": ").append(severity.label().toUpperCase(Locale.ROOT)).append(" on ").append(node)
                .append(" (").append(items.size()).append(items.size() == 1 ? " source" : " sources").append(")\n");
        for (Item i : items) {
            b.append('\n').append(i.source()).append('\n')
                    .append("  state:  ").append(i.current());
            if (!i.previous().isEmpty()) {
                b.append(" (was ").append(i.previous()).append(')');
            }
            b.append(", ").append(i.severity().label()).append('\n')
                    .append("  since:  ").append(Instant.ofEpochMilli(i.sinceMillis())).append('\n')
                    .append("  reason: ").append(i.reason()).append('\n');
        }
        if (!dashboard.isEmpty()) {
            b.append("\nDashboard: ").append(dashboard).append('\n');
        }
        b.append("\nSent by Bulwark at ").append(Instant.ofEpochMilli(timestampMillis)).append(", alert ").append(id)
                .append('\n');
        return b.toString();
    }

    /** The values an SMS or webhook template may name, by placeholder name. */
    public Map<String, String> placeholders() {
        Item first = items.getFirst();
        return Map.of(
                "source", items.size() == 1 ? first.source() : items.size() + " sources",
                "state", first.current(),
                "severity", severity.label(),
                "kind", kind.name(),
                "summary", summary(),
                "since", Instant.ofEpochMilli(first.sinceMillis()).toString(),
                "node", node);
    }

    /** The sources, {@code max} at most, then how many more. */
    private String sources(int max) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < Math.min(max, items.size()); k++) {
            Item i = items.get(k);
            b.append(k == 0 ? "" : ", ").append(i.source()).append(' ').append(i.current());
        }
        if (items.size() > max) {
            b.append(" (+").append(items.size() - max).append(" more)");
        }
        return b.toString();
    }

    private static String clock(long millis) {
        String t = Instant.ofEpochMilli(millis).toString();
        return t.substring(t.indexOf('T') + 1, t.indexOf('T') + 9) + "Z";
    }

    /** The alert as one JSON object: a webhook's body and the spool's record. */
    public String toJson() {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("kind", kind.name());
            g.writeStringField("severity", severity.label());
            g.writeStringField("node", node);
            g.writeStringField("time", Instant.ofEpochMilli(timestampMillis).toString());
            g.writeStringField("dashboard", dashboard);
            g.writeStringField("summary", summary());
            g.writeArrayFieldStart("items");
            for (Item i : items) {
                g.writeStartObject();
                g.writeStringField("source", i.source());
                g.writeStringField("previous", i.previous());
                g.writeStringField("current", i.current());
                g.writeStringField("severity", i.severity().label());
                g.writeStringField("since", Instant.ofEpochMilli(i.sinceMillis()).toString());
                g.writeStringField("reason", i.reason());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return out.toString();
    }

    /** An alert written by {@link #toJson()}; throws {@link IllegalArgumentException} for anything else. */
    public static Alert fromJson(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            String id = null;
            Kind kind = null;
            Severity severity = null;
            String node = null;
            long time = 0;
            String dashboard = "";
            List<Item> items = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "id" -> id = p.getText();
                    case "kind" -> kind = Kind.valueOf(p.getText());
                    case "severity" -> severity = severity(p.getText());
                    case "node" -> node = p.getText();
                    case "time" -> time = Instant.parse(p.getText()).toEpochMilli();
                    case "dashboard" -> dashboard = p.getText();
                    case "items" -> {
                        expect(t, JsonToken.START_ARRAY);
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            items.add(item(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (id == null || kind == null || severity == null || node == null) {
                throw new IllegalArgumentException("not an alert: " + json);
            }
            return new Alert(id, kind, severity, node, time, items, dashboard);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an alert: " + e.getMessage(), e);
        }
    }

    private static Item item(JsonParser p) throws IOException {
        String source = "";
        String previous = "";
        String current = "";
        Severity severity = Severity.INFO;
        long since = 0;
        String reason = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "source" -> source = p.getText();
                case "previous" -> previous = p.getText();
                case "current" -> current = p.getText();
                case "severity" -> severity = severity(p.getText());
                case "since" -> since = Instant.parse(p.getText()).toEpochMilli();
                case "reason" -> reason = p.getText();
                default -> p.skipChildren();
            }
        }
        return new Item(source, previous, current, severity, since, reason);
    }

    private static Severity severity(String label) {
        return Severity.valueOf(label.toUpperCase(Locale.ROOT));
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }
}

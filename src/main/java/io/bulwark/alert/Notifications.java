package io.bulwark.alert;

import io.bulwark.config.AlertRuleConfig;
import io.bulwark.core.Event;
import io.bulwark.core.Severity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is told what, and when: events move each source's {@link Incident}; the rules that cover the source and
 * its severity decide the channels; a problem is told when it begins or changes, its end if it was told,
 * reminders every rule's {@code notification_interval} until it ends or is acknowledged, the escalation
 * channels once it lasted long enough; a flapping source is told twice, when it starts and when it settles,
 * and a silenced one not at all. What happens within {@code group_wait} of the first leaves as one alert per
 * kind and channels. Pure, on the nanosecond-free scale of epoch milliseconds, so it runs in virtual time;
 * one owner thread.
 */
public final class Notifications {
    /** An alert ready to go, and the channels it goes to. */
    public record Outgoing(Alert alert, Set<String> channels) {}

    private record Rule(SourcePattern sources, AlertRuleConfig config) {}

    private record GroupKey(Alert.Kind kind, Set<String> channels) {}

    private static final class Group {
        final long openedMillis;
        final Map<String, Alert.Item> items = new LinkedHashMap<>();

        Group(long openedMillis) {
            this.openedMillis = openedMillis;
        }
    }

    private final List<Rule> rules;
    private final long groupWaitMillis;
    private final String node;
    private final String dashboard;
    private final Silences silences;
    private final Map<String, Incident> incidents = new HashMap<>();
    private final Map<GroupKey, Group> pending = new LinkedHashMap<>();
    private long alerts;

    /** The decisions of a config's alarms, with no event seen yet. */
    public static Notifications of(io.bulwark.config.AlertsConfig config) {
        return new Notifications(config.rules(), config.groupWait().toMillis(), config.node(), config.dashboard(),
                new Silences(config.maintenance()));
    }

    Notifications(List<AlertRuleConfig> rules, long groupWaitMillis, String node, String dashboard, Silences silences) {
        this.rules = rules.stream().map(r -> new Rule(new SourcePattern(r.sources()), r)).toList();
        this.groupWaitMillis = groupWaitMillis;
        this.node = node;
        this.dashboard = dashboard;
        this.silences = silences;
    }

    /** Takes an event; what it makes due leaves with {@link #due}. */
    public void on(Event e, long nowMillis) {
        if (e.source().startsWith("alert/")) {
            return; // the alarms' own deliveries and silences are journaled, never alerted on
        }
        Incident inc = incidents.computeIfAbsent(e.source(), Incident::new);
        Incident.Change change = inc.on(e);
        boolean silenced = silences.covers(inc.source, nowMillis);
        switch (change) {
            case STARTED, CHANGED -> {
                if (!silenced && !inc.flapping()) {
                    tellProblem(inc, nowMillis);
                }
            }
            case ENDED -> {
                if (!inc.flapping()) {
                    tellRecovery(inc, nowMillis, silenced);
                }
            }
            case NOTICE -> {
                if (!silenced) {
                    tell(Alert.Kind.PROBLEM, e.severity(), inc, Incident.item(e, e.timestampMillis()), nowMillis, false);
                }
            }
            case FLAPPING_STARTED -> {
                if (!silenced) {
                    tell(Alert.Kind.FLAPPING_START, Severity.WARNING, inc, Incident.item(e, e.timestampMillis()),
                            nowMillis, false);
                }
            }
            case FLAPPING_STOPPED -> {
                if (!silenced) {
                    tell(Alert.Kind.FLAPPING_STOP, Severity.WARNING, inc, Incident.item(e, e.timestampMillis()),
                            nowMillis, false);
                    // As Nagios: a problem still there is told now; one told before the flapping is told ended.
                    if (inc.problem()) {
                        tellProblem(inc, nowMillis);
                    } else {
                        tellRecovery(inc, nowMillis, false);
                    }
                }
            }
            case NONE -> { }
        }
    }

    /** A problem began or changed: every rule that covers it tells it, with its escalation if due. */
    private void tellProblem(Incident inc, long nowMillis) {
        tell(Alert.Kind.PROBLEM, inc.severity(), inc, inc.item(), nowMillis, true);
    }

    /**
     * The problem ended: the rules that told it tell its end, unless it ended before it left (then nobody
     * hears of either).
     */
    private void tellRecovery(Incident inc, long nowMillis, boolean silenced) {
        if (withdraw(inc.source)) {
            inc.forgetTold();
            return;
        }
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            if (inc.toldBy(r) && rule.config().recoveries() && !silenced) {
                add(Alert.Kind.RECOVERY, channels(rule, inc.told(r), inc, nowMillis), inc.item(), nowMillis);
            }
        }
        inc.forgetTold();
    }

    private void tell(Alert.Kind kind, Severity severity, Incident inc, Alert.Item item, long nowMillis,
            boolean counts) {
        for (int r = 0; r < rules.size(); r++) {
            Rule rule = rules.get(r);
            if (!rule.sources().matches(inc.source) || severity.compareTo(rule.config().minSeverity()) < 0) {
                continue;
            }
            Incident.Told told = inc.told(r);
            add(kind, channels(rule, told, inc, nowMillis), item, nowMillis);
            if (counts) {
                told.count++;
                told.lastMillis = nowMillis;
            }
        }
    }

    /** The rule's channels, and its escalation channels once the problem was told often or long enough. */
    private static Set<String> channels(Rule rule, Incident.Told told, Incident inc, long nowMillis) {
        AlertRuleConfig c = rule.config();
        Set<String> out = new LinkedHashSet<>(c.channels());
        boolean byCount = c.escalateAfter() > 0 && told.count >= c.escalateAfter();
        boolean byTime = c.escalateAfterTime().toMillis() > 0 && inc.problem()
                && nowMillis - inc.sinceMillis() >= c.escalateAfterTime().toMillis();
        if (byCount || byTime) {
            out.addAll(c.escalateTo());
        }
        return Set.copyOf(out);
    }

    /** Joins the group of its kind and channels; the same source's newer item replaces its older one. */
    private void add(Alert.Kind kind, Set<String> channels, Alert.Item item, long nowMillis) {
        if (channels.isEmpty()) {
            return;
        }
        pending.computeIfAbsent(new GroupKey(kind, channels), k -> new Group(nowMillis)).items.put(item.source(), item);
    }

    /** Takes a source's problem back out of the groups not yet sent; returns whether there was one. */
    private boolean withdraw(String source) {
        boolean found = false;
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey().kind() == Alert.Kind.PROBLEM && entry.getValue().items.remove(source) != null) {
                found = true;
                if (entry.getValue().items.isEmpty()) {
                    it.remove();
                }
            }
        }
        return found;
    }

    /** Time passing: reminders of lasting problems, and problems whose silence ended. */
    public void tick(long nowMillis) {
        for (Incident inc : incidents.values()) {
            if (!inc.problem() || inc.flapping() || silences.covers(inc.source, nowMillis)) {
                continue;
            }
            for (int r = 0; r < rules.size(); r++) {
                Rule rule = rules.get(r);
                if (!rule.sources().matches(inc.source) || inc.severity().compareTo(rule.config().minSeverity()) < 0) {
                    continue;
                }
                Incident.Told told = inc.told(r);
                long interval = rule.config().notificationInterval().toMillis();
                if (told.count == 0) {
                    // Never told (it began while silenced or flapping): told now.
                    add(Alert.Kind.PROBLEM, channels(rule, told, inc, nowMillis), inc.item(), nowMillis);
                } else if (interval > 0 && !inc.acknowledged() && nowMillis - told.lastMillis >= interval) {
                    add(Alert.Kind.REMINDER, channels(rule, told, inc, nowMillis), inc.item(), nowMillis);
                } else {
                    continue;
                }
                told.count++;
                told.lastMillis = nowMillis;
            }
        }
    }

    /** The groups whose wait is over, as alerts; {@code all} takes every group (the gateway is stopping). */
    public List<Outgoing> due(long nowMillis, boolean all) {
        List<Outgoing> out = new ArrayList<>();
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            Group g = entry.getValue();
            if (!all && nowMillis - g.openedMillis < groupWaitMillis) {
                continue;
            }
            it.remove();
            List<Alert.Item> items = List.copyOf(g.items.values());
            Severity worst = Severity.INFO;
            for (Alert.Item i : items) {
                worst = i.severity().compareTo(worst) > 0 ? i.severity() : worst;
            }
            String id = node + "-" + nowMillis + "-" + (++alerts);
            out.add(new Outgoing(new Alert(id, entry.getKey().kind(), worst, node, nowMillis, items, dashboard),
                    entry.getKey().channels()));
        }
        return out;
    }

    /** Acknowledges the source's problem: no reminders until it ends. Returns whether there was one. */
    public boolean acknowledge(String source) {
        Incident inc = incidents.get(source);
        return inc != null && inc.acknowledge();
    }

    /** Silences the sources from one time until another: a maintenance window set by an operator. */
    public void silence(List<String> sources, long fromMillis, long untilMillis, String reason, String by) {
        silences.add(new Silences.Silence(new SourcePattern(sources), fromMillis, untilMillis, reason, by));
    }

    /** The silences that began or ended since the last call, as events for the journal. */
    public List<AlertSilenced> silenceChanges(long nowMillis) {
        return silences.changes(nowMillis).stream().map(c -> new AlertSilenced(c.getKey().sources().toString(),
                c.getValue(), c.getKey().untilMillis(), c.getKey().reason(), c.getKey().by(), nowMillis)).toList();
    }

    /** The sources with a problem now, for the API. */
    public List<String> problems() {
        return incidents.values().stream().filter(Incident::problem).map(i -> i.source).sorted().toList();
    }
}

package io.bulwark.alert;

import io.bulwark.config.MaintenanceWindow;
import java.util.ArrayList;
import java.util.List;

/**
 * Times when the alarms say nothing about some sources: the config's maintenance windows and the ones an
 * operator sets through the API. Owned by the alarms' thread.
 */
final class Silences {
    /** One silence: which sources, from when until when, and why. */
    record Silence(SourcePattern sources, long fromMillis, long untilMillis, String reason, String by) {
        boolean active(long nowMillis) {
            return nowMillis >= fromMillis && nowMillis < untilMillis;
        }
    }

    private final List<Silence> all = new ArrayList<>();
    private final List<Silence> active = new ArrayList<>();

    Silences(List<MaintenanceWindow> windows) {
        for (MaintenanceWindow w : windows) {
            all.add(new Silence(new SourcePattern(w.sources()), w.from().toEpochMilli(), w.until().toEpochMilli(),
                    w.reason(), "config"));
        }
    }

    void add(Silence s) {
        all.add(s);
    }

    /** Whether the source is silenced now. */
    boolean covers(String source, long nowMillis) {
        for (Silence s : all) {
            if (s.active(nowMillis) && s.sources().matches(source)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The silences that began ({@code true}) or ended ({@code false}) since the last call, so each start and
     * end is journaled once; ended ones are forgotten.
     */
    List<java.util.Map.Entry<Silence, Boolean>> changes(long nowMillis) {
        List<java.util.Map.Entry<Silence, Boolean>> out = new ArrayList<>();
        for (Silence s : List.copyOf(all)) {
            boolean now = s.active(nowMillis);
            boolean was = active.contains(s);
            if (now && !was) {
                active.add(s);
                out.add(java.util.Map.entry(s, true));
            } else if (!now && was) {
                active.remove(s);
                out.add(java.util.Map.entry(s, false));
            }
            if (nowMillis >= s.untilMillis()) {
                all.remove(s);
            }
        }
        return out;
    }
}

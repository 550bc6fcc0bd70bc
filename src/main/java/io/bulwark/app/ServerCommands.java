package io.bulwark.app;

import io.bulwark.admin.ServerControl;
import io.bulwark.upstream.AdminState;
import io.bulwark.upstream.Server;
import io.bulwark.upstream.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The admin API's view of the upstreams and its commands on their servers. */
record ServerCommands(Map<String, Upstream> byName) implements ServerControl {
    @Override
    public List<UpstreamStatus> upstreams() {
        List<UpstreamStatus> out = new ArrayList<>(byName.size());
        for (Upstream u : byName.values()) {
            out.add(new UpstreamStatus(u.name(), u.servers().stream().map(ServerCommands::status).toList()));
        }
        return out;
    }

    @Override
    public Optional<Outcome> apply(String upstream, String address, Action action, String operator) {
        Upstream u = byName.get(upstream);
        if (u == null) {
            return Optional.empty();
        }
        for (Server s : u.servers()) {
            if (s.address().toString().equals(address)) {
                String by = "by " + operator;
                boolean changed = switch (action) {
                    case ENABLE -> s.enable(by);
                    case READY -> s.admin(AdminState.READY, by);
                    case DRAIN -> s.admin(AdminState.DRAIN, by);
                    case MAINT -> s.admin(AdminState.MAINT, by);
                };
                return Optional.of(new Outcome(changed, status(s)));
            }
        }
        return Optional.empty();
    }

    private static ServerStatus status(Server s) {
        return new ServerStatus(s.address().toString(), s.weight(), s.backup(), lower(s.health()), lower(s.admin()),
                s.ejected(), s.eligible(), s.inFlight(), s.lastCause().describe());
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}

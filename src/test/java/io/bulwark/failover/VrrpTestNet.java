package io.bulwark.failover;

import io.bulwark.config.TrackConfig;
import io.bulwark.config.VrrpInstanceConfig;
import io.bulwark.core.EventBus;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A segment of nodes on the in-memory bus, all in virtual time, with everything they did recorded. */
final class VrrpTestNet {
    static final long MS = 1_000_000L;
    final VirtualScheduler scheduler = new VirtualScheduler();
    final InMemoryAdvertBus bus = new InMemoryAdvertBus(scheduler);
    final List<Heard> heard = new ArrayList<>();

    /** An advert seen by a passive listener on the segment. */
    record Heard(long atNanos, Inet4Address from, int priority) {}

    /** One node: its instance and what it did. */
    static final class Node {
        final Inet4Address address;
        final VrrpInstance instance;
        final RecordingActuator actuator = new RecordingActuator();
        final List<VrrpTransition> transitions = new ArrayList<>();
        final List<Long> transitionNanos = new ArrayList<>();
        final List<String> notified = new ArrayList<>();

        Node(VrrpTestNet net, Inet4Address address, VrrpInstanceConfig config) {
            this.address = address;
            EventBus events = new EventBus();
            events.subscribe(e -> {
                if (e instanceof VrrpTransition t) {
                    transitions.add(t);
                    transitionNanos.add(net.scheduler.now());
                }
            });
            NotifyHook hook = (instance, state, priority) -> notified.add(instance + " " + state.notifyName() + " " + priority);
            VrrpContext ctx = new VrrpContext(net.scheduler, actuator, events, command -> hook);
            this.instance = new VrrpInstance(config, net.bus.join(address), ctx);
        }

        VrrpState state() {
            return instance.state();
        }

        /** Virtual time of the last transition into {@code to}. */
        long lastNanosInto(VrrpState to) {
            for (int i = transitions.size() - 1; i >= 0; i--) {
                if (transitions.get(i).to() == to) {
                    return transitionNanos.get(i);
                }
            }
            throw new AssertionError(instance.name() + " never entered " + to + ": " + transitions);
        }
    }

    Node node(int lastOctet, VrrpInstanceConfig config) {
        return new Node(this, Ipv4.address(10, 0, 0, lastOctet), config);
    }

    /** A passive listener recording every advert that reaches it. */
    void sniff() {
        Inet4Address me = Ipv4.address(10, 0, 0, 250);
        bus.join(me).start(d -> {
            Inet4Address from = Ipv4.fromBytes(new byte[] {d[12], d[13], d[14], d[15]});
            heard.add(new Heard(scheduler.now(), from, d[22] & 0xff));
        });
    }

    /** The last advert heard from {@code from} at or before {@code atNanos}. */
    Heard lastFrom(Inet4Address from, long atNanos) {
        Heard last = null;
        for (Heard h : heard) {
            if (h.from().equals(from) && h.atNanos() <= atNanos) {
                last = h;
            }
        }
        if (last == null) {
            throw new AssertionError("nothing heard from " + from);
        }
        return last;
    }

    /** v3, eth0, VRID 51, 100 ms adverts, preempt on without delay, VIP 10.0.0.100/24. */
    static VrrpInstanceConfig v3(int priority, TrackConfig... tracks) {
        return config(3, priority, Duration.ofMillis(100), true, Duration.ZERO, null, tracks);
    }

    static VrrpInstanceConfig config(int version, int priority, Duration interval, boolean preempt, Duration preemptDelay,
            String password, TrackConfig... tracks) {
        return new VrrpInstanceConfig("VI_1", version, "eth0", 51, priority, interval, preempt, preemptDelay, null,
                List.of(), List.of("10.0.0.100/24"), password, List.of(tracks), List.of("/etc/bulwark/notify.sh"));
    }
}

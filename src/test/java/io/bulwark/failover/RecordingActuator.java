package io.bulwark.failover;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Keeps which virtual addresses are up and every call made, instead of touching interfaces. */
final class RecordingActuator implements AddressActuator {
    final List<String> calls = new ArrayList<>();
    final Set<VirtualAddress> present = new LinkedHashSet<>();

    @Override
    public void add(String interfaceName, List<VirtualAddress> addresses) {
        calls.add("add " + interfaceName + " " + addresses);
        present.addAll(addresses);
    }

    @Override
    public void remove(String interfaceName, List<VirtualAddress> addresses) {
        calls.add("remove " + interfaceName + " " + addresses);
        addresses.forEach(present::remove);
    }

    @Override
    public void announce(String interfaceName, List<VirtualAddress> addresses) {
        calls.add("garp " + interfaceName + " " + addresses);
    }

    boolean holdsVip() {
        return !present.isEmpty();
    }
}

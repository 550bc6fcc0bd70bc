package io.bulwark.config;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One VRRP virtual router as configured (keepalived's {@code vrrp_instance}). Validated on construction;
 * messages name the field and the expected range so the YAML loader can prefix file:line:column.
 *
 * @param name instance name as it appears in logs and notify calls, e.g. {@code VI_1}
 * @param version 2 (RFC 3768) or 3 (RFC 5798)
 * @param interfaceName where adverts are sent and the virtual addresses are added
 * @param virtualRouterId 1..255, must match the peers
 * @param priority 1..255; 255 means this node owns the addresses (goes MASTER at once)
 * @param advertInterval v3: 10 ms..40.95 s in whole centiseconds; v2: 1..255 whole seconds
 * @param preempt whether a higher-priority backup takes over from a lower-priority master (default true)
 * @param preemptDelay how long a higher-priority backup keeps deferring to a lower master it has just
 *     started hearing before it preempts; zero = at once
 * @param sourceAddress IPv4 source of adverts; {@code null} = the interface's primary address
 * @param unicastPeers IPv4 peers to send adverts to; empty = multicast 224.0.0.18
 * @param virtualAddresses {@code a.b.c.d/len} (len defaults to 32), at least one
 * @param authPassword v2 simple text password (auth type 1), at most 8 ASCII characters; {@code null} = none
 * @param tracks what lowers the priority or faults the instance when it fails
 * @param notifyCommand program and leading arguments run on every state change; empty = none
 * @param peerPriority the backup's configured priority when the operator states it ({@code peer_priority}),
 *     for the start-up check that tracker failures can move the address; 0 = not stated
 */
public record VrrpInstanceConfig(
        String name,
        int version,
        String interfaceName,
        int virtualRouterId,
        int priority,
        Duration advertInterval,
        boolean preempt,
        Duration preemptDelay,
        String sourceAddress,
        List<String> unicastPeers,
        List<String> virtualAddresses,
        String authPassword,
        List<TrackConfig> tracks,
        List<String> notifyCommand,
        int peerPriority) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV4_CIDR = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?");

    public VrrpInstanceConfig {
        String at = "vrrp.instances[" + name + "].";
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("vrrp.instances[].name: empty");
        }
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException(at + "version: " + version + " (expected: 2 or 3)");
        }
        if (interfaceName == null || interfaceName.isBlank()) {
            throw new IllegalArgumentException(at + "interface: empty");
        }
        if (virtualRouterId < 1 || virtualRouterId > 255) {
            throw new IllegalArgumentException(at + "virtual_router_id: " + virtualRouterId + " (expected: 1..255)");
        }
        if (priority < 1 || priority > 255) {
            throw new IllegalArgumentException(at + "priority: " + priority + " (expected: 1..255)");
        }
        checkInterval(at, version, advertInterval);
        if (preemptDelay == null || preemptDelay.isNegative() || preemptDelay.compareTo(Duration.ofSeconds(1000)) > 0) {
            throw new IllegalArgumentException(at + "preempt_delay: " + preemptDelay + " (expected: 0s..1000s)");
        }
        if (sourceAddress != null && !(IPV4.matcher(sourceAddress).matches() && inRange(sourceAddress))) {
            throw new IllegalArgumentException(at + "source_address: " + sourceAddress + " (expected: an IPv4 literal)");
        }
        unicastPeers = List.copyOf(unicastPeers);
        for (String p : unicastPeers) {
            if (!IPV4.matcher(p).matches() || !inRange(p)) {
                throw new IllegalArgumentException(at + "unicast_peers: " + p + " (expected: an IPv4 literal)");
            }
        }
        virtualAddresses = List.copyOf(virtualAddresses);
        if (virtualAddresses.isEmpty() || virtualAddresses.size() > 255) {
            throw new IllegalArgumentException(at + "virtual_addresses: " + virtualAddresses.size()
                    + " entries (expected: 1..255)");
        }
        for (String a : virtualAddresses) {
            if (!IPV4_CIDR.matcher(a).matches() || !inRange(a)) {
                throw new IllegalArgumentException(at + "virtual_addresses: " + a
                        + " (expected: a.b.c.d or a.b.c.d/len, parts 0..255, len 0..32)");
            }
        }
        if (authPassword != null) {
            if (version != 2) {
                throw new IllegalArgumentException(at + "auth_password: set (expected: only with version 2; "
                        + "RFC 5798 removed authentication)");
            }
            if (authPassword.isEmpty() || authPassword.length() > 8 || !authPassword.chars().allMatch(c -> c > 32 && c < 127)) {
                throw new IllegalArgumentException(at + "auth_password: " + authPassword.length()
                        + " characters (expected: 1..8 printable ASCII)");
            }
        }
        tracks = List.copyOf(tracks);
        notifyCommand = List.copyOf(notifyCommand);
        if (peerPriority < 0 || peerPriority > 255) {
            throw new IllegalArgumentException(at + "peer_priority: " + peerPriority + " (expected: 1..255, or 0 = unknown)");
        }
    }

    /** Without a stated peer priority. */
    public VrrpInstanceConfig(String name, int version, String interfaceName, int virtualRouterId, int priority,
            Duration advertInterval, boolean preempt, Duration preemptDelay, String sourceAddress,
            List<String> unicastPeers, List<String> virtualAddresses, String authPassword, List<TrackConfig> tracks,
            List<String> notifyCommand) {
        this(name, version, interfaceName, virtualRouterId, priority, advertInterval, preempt, preemptDelay,
                sourceAddress, unicastPeers, virtualAddresses, authPassword, tracks, notifyCommand, 0);
    }

    /** Octets 0..255 and prefix 0..32; the patterns only check the shape. */
    private static boolean inRange(String cidr) {
        String[] parts = cidr.split("[./]");
        for (int i = 0; i < parts.length; i++) {
            int v = Integer.parseInt(parts[i]);
            if (v > (i < 4 ? 255 : 32)) {
                return false;
            }
        }
        return true;
    }

    private static void checkInterval(String at, int version, Duration d) {
        if (d == null) {
            throw new IllegalArgumentException(at + "advert_interval: missing");
        }
        long millis = d.toMillis();
        if (version == 3) {
            // 12-bit field in centiseconds (RFC 5798 §5.2.7).
            if (millis % 10 != 0 || millis < 10 || millis > 40_950 || d.toNanos() % 10_000_000 != 0) {
                throw new IllegalArgumentException(at + "advert_interval: " + d + " (expected: 10ms..40950ms in steps of 10ms)");
            }
        } else if (millis % 1000 != 0 || millis < 1000 || millis > 255_000 || d.toNanos() % 1_000_000_000 != 0) {
            // 8-bit field in seconds (RFC 3768 §5.3.7).
            throw new IllegalArgumentException(at + "advert_interval: " + d + " (expected: 1s..255s in whole seconds)");
        }
    }

    /** Whether this node owns the virtual addresses (priority 255, RFC 5798 §6.1). */
    public boolean addressOwner() {
        return priority == 255;
    }
}

package io.bulwark.config;

import java.net.Inet6Address;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses {@code host:port} as written in the config: {@code 127.0.0.1:9001}, {@code localhost:80},
 * {@code [::1]:8080}, or {@code :8080} for every IPv4 interface.
 */
public final class HostPorts {
    private static final String LABEL = "[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?";
    private static final Pattern HOST_NAME = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
    private static final Pattern DOTTED_NUMBERS = Pattern.compile("[0-9.]+");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final String EXPECTED = " (expected: host:port like 127.0.0.1:8080, localhost:80, [::1]:8080 or :8080)";

    private HostPorts() {}

    /**
     * Parses {@code text}, accepting ports 0..65535; callers that cannot use port 0 check that themselves.
     * Host names are lowercased; an empty host means {@code 0.0.0.0}.
     *
     * @throws IllegalArgumentException with a message in the form {@code what (expected: ...)}
     */
    public static HostPort parse(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(t + " has no port" + EXPECTED);
        }
        String host = t.substring(0, colon);
        String portText = t.substring(colon + 1);
        if (!PORT.matcher(portText).matches() || Integer.parseInt(portText) > 65535) {
            throw new IllegalArgumentException(t + " has a bad port (expected: port 0..65535)");
        }
        return new HostPort(host(t, host), Integer.parseInt(portText));
    }

    private static String host(String whole, String host) {
        if (host.isEmpty()) {
            return "0.0.0.0";
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            String literal = host.substring(1, host.length() - 1);
            try {
                Inet6Address.ofLiteral(literal);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(whole + " has a bad IPv6 address" + EXPECTED);
            }
            return literal;
        }
        if (host.indexOf(':') >= 0) {
            // Without brackets "::1:80" is ambiguous, so it is refused rather than split at a guess.
            throw new IllegalArgumentException(whole + " (expected: an IPv6 address in brackets, e.g. [::1]:8080)");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (DOTTED_NUMBERS.matcher(lower).matches() ? !isIpv4(lower) : !HOST_NAME.matcher(lower).matches()) {
            throw new IllegalArgumentException(whole + " has a bad host" + EXPECTED);
        }
        return lower;
    }

    private static boolean isIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}

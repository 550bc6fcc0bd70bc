package io.bulwark.config;

import java.util.regex.Pattern;

/** The rule for names of listeners, routes and upstreams, which end up in logs and metric labels. */
final class Names {
    static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9_.-]+");
    static final String EXPECTED = "a name of letters, digits, '_', '.' and '-'";

    private Names() {}
}

package io.bulwark.alert;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which sources a rule or a silence covers: patterns like {@code upstream/app/*} ({@code *} stays within one
 * path segment) or {@code monitor/**} ({@code **} crosses segments); a source matches when any pattern does.
 */
final class SourcePattern {
    private final List<Pattern> patterns;
    private final String text;

    SourcePattern(List<String> globs) {
        this.patterns = globs.stream().map(SourcePattern::compile).toList();
        this.text = String.join(", ", globs);
    }

    boolean matches(String source) {
        for (Pattern p : patterns) {
            if (p.matcher(source).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public String toString() {
        return text;
    }
}

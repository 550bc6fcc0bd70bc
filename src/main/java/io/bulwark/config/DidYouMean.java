package io.bulwark.config;

import java.util.Collection;
import java.util.Locale;

/** Suggests the closest known word for a misspelt key or value, by edit distance. */
final class DidYouMean {
    private DidYouMean() {}

    /** {@code (did you mean 'x'?)} when one known word is close, otherwise {@code (expected: one of a, b, c)}. */
    static String hint(String given, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(given, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        // Allow about one typo per three letters; beyond that the suggestion is more confusing than the list.
        if (best != null && bestDistance <= Math.max(2, best.length() / 3)) {
            return "(did you mean '" + best + "'?)";
        }
        return "(expected: one of " + String.join(", ", known) + ")";
    }

    /** Levenshtein distance, case-insensitive. */
    static int distance(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        int[] prev = new int[y.length() + 1];
        int[] cur = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitute = prev[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[y.length()];
    }
}

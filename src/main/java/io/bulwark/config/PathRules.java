package io.bulwark.config;

/**
 * How a listener reads request paths before routing them (RFC 3986 §6.2.2), as Envoy's {@code normalize_path}
 * and {@code merge_slashes} do: routes match the normal form, so {@code /public/../admin} and
 * {@code /%61dmin} cannot step around an {@code /admin} route.
 *
 * @param normalize decode percent-encoded unreserved characters, write the other percent-encodings in upper
 *     case, and remove dot segments; a path that climbs above the root is refused with 400
 * @param mergeSlashes also merge runs of slashes into one
 * @param forward which path the server gets
 */
public record PathRules(boolean normalize, boolean mergeSlashes, Forward forward) {
    /** Normalised without merging slashes, and forwarded normalised. */
    public static final PathRules DEFAULT = new PathRules(true, false, Forward.NORMALIZED);

    /** Which path the server gets: the one routes matched, or the one the client sent. */
    public enum Forward {
        NORMALIZED,
        ORIGINAL;

        /** The name in the config file. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether the path is read as received, with nothing to change. */
    public boolean raw() {
        return !normalize && !mergeSlashes;
    }
}

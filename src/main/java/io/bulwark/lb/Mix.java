package io.bulwark.lb;

/** 64-bit hashing for the hash ring: a strong finaliser, so nearby inputs land far apart on the ring. */
final class Mix {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Mix() {}

    /** SplitMix64's finaliser (Stafford variant 13): every input bit affects every output bit. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The k-th point of a key: SplitMix64's sequence seeded by the key, so points are independent. */
    static long point(long key, int k) {
        return mix64(key + (k + 1L) * GOLDEN);
    }

    /** FNV-1a over the chars, then mixed: a stable hash that does not depend on String.hashCode's 32 bits. */
    static long string(String s) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001B3L;
        }
        return mix64(h);
    }
}

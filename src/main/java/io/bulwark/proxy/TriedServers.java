package io.bulwark.proxy;

import io.bulwark.lb.Tried;
import io.bulwark.upstream.Server;
import java.util.Arrays;

/** The servers one request tried, as a bit set of server indexes; reused request after request. */
final class TriedServers implements Tried {
    private long low;
    private long[] high;

    void add(Server s) {
        int i = s.index();
        if (i < 64) {
            low |= 1L << i;
            return;
        }
        int word = (i >> 6) - 1;
        if (high == null || high.length <= word) {
            long[] grown = new long[word + 1];
            if (high != null) {
                System.arraycopy(high, 0, grown, 0, high.length);
            }
            high = grown;
        }
        high[word] |= 1L << (i & 63);
    }

    @Override
    public boolean contains(Server s) {
        int i = s.index();
        if (i < 64) {
            return (low & 1L << i) != 0;
        }
        int word = (i >> 6) - 1;
        return high != null && word < high.length && (high[word] & 1L << (i & 63)) != 0;
    }

    void clear() {
        low = 0;
        if (high != null) {
            Arrays.fill(high, 0);
        }
    }
}

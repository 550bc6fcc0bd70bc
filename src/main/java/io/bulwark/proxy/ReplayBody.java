package io.bulwark.proxy;

import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelFuture;
import java.util.ArrayList;
import java.util.List;

/**
 * The request body as forwarded so far, held for a replay on another connection while it fits the cap. The
 * chunks are retained duplicates of the ones forwarded (no copy); {@link #release()} gives them back, once.
 */
final class ReplayBody {
    // HttpContent from the header-map path, RawBody from the raw one (see UpstreamConnection#write).
    private final List<ByteBufHolder> held = new ArrayList<>();
    private int cap;
    private long bytes;
    private boolean holding;
    private boolean consumed;
    private boolean overflowed;
    private boolean complete;

    /**
     * Starts a request whose body declares {@code length} bytes ({@code -1}: chunked, unknown), of which
     * {@code here} came with the head (held with it, so counted against the cap too).
     */
    void begin(int capBytes, long length, int here) {
        cap = capBytes;
        bytes = here;
        consumed = here > 0;
        holding = Math.max(length, here) <= capBytes;
        overflowed = !holding;
    }

    /** Takes note of a chunk read from the client ({@code last}: it ends the body); the caller still owns it. */
    void add(ByteBufHolder c, boolean last) {
        consumed = true;
        if (!holding) {
            return;
        }
        int n = c.content().readableBytes();
        if (bytes + n > cap) {
            overflowed = true;
            release();
            return;
        }
        held.add(c.retainedDuplicate());
        bytes += n;
        complete = last;
    }

    /** Whether the whole body read so far can be sent again: none was read yet, or all of it is held. */
    boolean replayable() {
        return !consumed || holding;
    }

    /** Whether a retry was (or would be) refused for the body's size. */
    boolean overflowed() {
        return overflowed;
    }

    /** Whether the held chunks include the end of the request. */
    boolean complete() {
        return holding && complete;
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    /** Writes duplicates of the held chunks, unflushed; returns the last write's future, or {@code null}. */
    ChannelFuture writeTo(UpstreamConnection connection) {
        ChannelFuture last = null;
        for (ByteBufHolder c : held) {
            last = connection.write(c.retainedDuplicate());
        }
        return last;
    }

    /** Stops holding (no retry can follow any more) and releases what is held. Idempotent. */
    void release() {
        holding = false;
        for (ByteBufHolder c : held) {
            c.release();
        }
        held.clear();
        bytes = 0;
        complete = false;
    }

    /** Releases and forgets the request. */
    void reset() {
        release();
        consumed = overflowed = false;
    }
}

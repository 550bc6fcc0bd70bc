package io.bulwark.proxy;

import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.util.internal.AdaptiveCalculator;

/**
 * Sizes reads from servers: Netty's adaptive guess (from 2 KiB, up to 64 KiB as reads fill up), with room
 * for a response head on top once the guess is at its ceiling.
 *
 * <p>With a plain 64 KiB ceiling, a 64 KiB body and the head before it never fit one read: each response
 * took a full read, a second read of a few hundred bytes, and two writes to the client. The head room lets
 * both come in one read and go out in one write (longer bodies just move in 72 KiB reads): 10-18 % less CPU
 * per 64 KiB response, and a lower p99 at 50 connections (bench/RESULTS.md). On the benchmark's two shared
 * cores the server then spends more per response (it frees the buffers the gateway drained at once), which
 * costs some throughput at 200 connections; with servers on their own machines only the saving is left. A
 * larger ceiling (256 KiB) saved the same but holds four times the memory per buffer, which a slow client
 * keeps until it reads it.
 */
final class UpstreamReads extends DefaultMaxMessagesRecvByteBufAllocator {
    static final int CEILING = 64 * 1024;
    static final int HEAD_ROOM = 8 * 1024;

    @Override
    @SuppressWarnings("deprecation") // Netty's own allocators implement the same deprecated-typed method
    public Handle newHandle() {
        return new Sizing();
    }

    private final class Sizing extends MaxMessageHandle {
        private final AdaptiveCalculator guess = new AdaptiveCalculator(64, 2048, CEILING);

        @Override
        public int guess() {
            int g = guess.nextSize();
            return g == CEILING ? CEILING + HEAD_ROOM : g;
        }

        @Override
        public void lastBytesRead(int bytes) {
            // A read that filled its buffer grows the next guess at once, as Netty's adaptive handle does.
            if (bytes == attemptedBytesRead()) {
                guess.record(bytes);
            }
            super.lastBytesRead(bytes);
        }

        @Override
        public void readComplete() {
            guess.record(totalBytesRead());
        }
    }
}

package io.bulwark.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/** How reads from servers are sized: a 64 KiB piece of body and its head fit one read; small answers shrink it. */
class UpstreamReadsTest {
    private static final int HEAD = 243; // what nginx's head for a 64 KiB file takes

    @Test
    void aSixtyFourKibBodyAndItsHeadFitOneReadOnceTheGuessHasGrown() {
        RecvByteBufAllocator.ExtendedHandle h = handle();
        assertThat(h.guess()).isEqualTo(2048);
        for (int i = 0; i < 3; i++) {
            readOnce(h, h.guess()); // reads that fill their buffer grow the next one at once
        }
        assertThat(h.guess()).isGreaterThanOrEqualTo(64 * 1024 + HEAD);

        for (int i = 0; i < 100; i++) {
            readOnce(h, 64 * 1024 + HEAD);
        }
        assertThat(h.guess()).as("steady 64 KiB responses keep the room").isGreaterThanOrEqualTo(64 * 1024 + HEAD);
    }

    @Test
    void smallAnswersShrinkTheReadsAgain() {
        RecvByteBufAllocator.ExtendedHandle h = handle();
        for (int i = 0; i < 3; i++) {
            readOnce(h, h.guess());
        }
        for (int i = 0; i < 40; i++) {
            readOnce(h, 13);
        }
        assertThat(h.guess()).isLessThanOrEqualTo(1024);
    }

    private static RecvByteBufAllocator.ExtendedHandle handle() {
        @SuppressWarnings("deprecation")
        RecvByteBufAllocator.ExtendedHandle h = (RecvByteBufAllocator.ExtendedHandle) new UpstreamReads().newHandle();
        h.reset(new EmbeddedChannel().config());
        return h;
    }

    /** One read of {@code bytes} (at most the guess), then the end of that read loop. */
    private static void readOnce(RecvByteBufAllocator.ExtendedHandle h, int bytes) {
        h.reset(new EmbeddedChannel().config());
        int room = h.guess();
        h.attemptedBytesRead(room);
        h.lastBytesRead(Math.min(bytes, room));
        h.incMessagesRead(1);
        h.readComplete();
    }
}

package io.bulwark.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Turns a downstream/upstream pair that agreed on a protocol switch into a raw byte relay. */
final class Tunnel {
    private Tunnel() {}

    /** Removes the HTTP handlers on both sides; leftover decoded bytes flow into the relays. */
    static void splice(Channel downstream, Channel upstream, long idleTimeoutNanos) {
        Relay toDownstream = new Relay(downstream);
        Relay toUpstream = new Relay(upstream);
        strip(upstream.pipeline().addLast("relay", toDownstream));
        // Both directions move bytes through the downstream channel, so its idleness is the tunnel's.
        strip(downstream.pipeline().addLast("relay", toUpstream))
                .addFirst("idle", new IdleStateHandler(0, 0, idleTimeoutNanos, TimeUnit.NANOSECONDS));
        toDownstream.start();
        toUpstream.start();
    }

    private static ChannelPipeline strip(ChannelPipeline p) {
        p.remove(LoopState.HANDLER);
        p.remove(LoopState.FLOW);
        p.remove(LoopState.DECODER);
        p.remove(LoopState.ENCODER);
        return p;
    }
}

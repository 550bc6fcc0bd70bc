package io.bulwark.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Turns a downstream/upstream pair that agreed on a protocol switch into a raw byte relay. */
final class Tunnel {
    private Tunnel() {}

    /**
     * Removes the HTTP handlers on both sides. Bytes of the new protocol that arrived with the switch (held by
     * the upstream connection, the flow-control handlers and the decoders) flow into the relays as each
     * handler goes, in order, and out to the peer, so both encoders go first.
     */
    static void splice(Channel downstream, Channel upstream, long idleTimeoutNanos) {
        downstream.pipeline().remove(LoopState.ENCODER);
        upstream.pipeline().remove(LoopState.ENCODER);
        Relay toDownstream = new Relay(downstream);
        Relay toUpstream = new Relay(upstream);
        upstream.pipeline().addLast("relay", toDownstream);
        // Both directions move bytes through the downstream channel, so its idleness is the tunnel's.
        downstream.pipeline().addLast("relay", toUpstream)
                .addFirst("idle", new IdleStateHandler(0, 0, idleTimeoutNanos, TimeUnit.NANOSECONDS));
        strip(upstream.pipeline());
        strip(downstream.pipeline());
        toDownstream.start();
        toUpstream.start();
    }

    /** The handlers nearest the relay go first, so what each hands on reaches the relay in arrival order. */
    private static void strip(ChannelPipeline p) {
        p.remove(LoopState.HANDLER);
        p.remove(LoopState.FLOW);
        p.remove(LoopState.DECODER);
    }
}

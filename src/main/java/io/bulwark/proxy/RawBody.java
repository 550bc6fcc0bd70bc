package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Body bytes of a message whose head came as a {@link WholeRequest} or {@link WholeResponse}, as the sender
 * sent them: they go to the other side unchanged, past its encoder. The last part ends the message.
 */
final class RawBody extends DefaultByteBufHolder {
    private final boolean last;

    RawBody(ByteBuf bytes, boolean last) {
        super(bytes);
        this.last = last;
    }

    /** Keeps the kind, so a held part's duplicate is still written past the encoder. */
    @Override
    public RawBody replace(ByteBuf content) {
        return new RawBody(content, last);
    }

    /** Whether this part ends the body. */
    boolean last() {
        return last;
    }
}

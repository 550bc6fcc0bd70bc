package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Body bytes of a response whose head came as a {@link WholeResponse}, as the server sent them: they go to
 * the client unchanged, past the response encoder. The last part ends the response.
 */
final class RawBody extends DefaultByteBufHolder {
    private final boolean last;

    RawBody(ByteBuf bytes, boolean last) {
        super(bytes);
        this.last = last;
    }

    /** Whether this part ends the body. */
    boolean last() {
        return last;
    }
}

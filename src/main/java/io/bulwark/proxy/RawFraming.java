package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Where the body of a {@link RawMessage} ends, for the decoder that took it: counted by its Content-Length or
 * followed chunk by chunk, and handed on as {@link RawBody} parts that are never parsed, so nothing in a
 * body can pass for the next message. Once chunked framing breaks, where the next message would start is
 * unknown: the body ends in a failed {@link LastHttpContent} and nothing more is read.
 */
final class RawFraming {
    private final ChunkScanner chunks = new ChunkScanner();
    // Body bytes still to come of a Content-Length body.
    private long remaining;
    // A chunked body goes on; `chunks` finds its end.
    private boolean chunked;
    private boolean broken;

    /** The scanner a raw message's parse follows a chunked body with (see {@link RawMessage#bodyHere}). */
    ChunkScanner chunks() {
        return chunks;
    }

    /** Takes over the rest of {@code message}'s body, which the decoder just took with its head. */
    void started(RawMessage message) {
        if (message.chunked()) {
            chunked = !message.complete();
        } else {
            remaining = message.remaining();
        }
    }

    /**
     * Passes on what of a body under way {@code in} holds, or discards everything after broken framing;
     * returns false when no body is under way and {@code in} starts a message.
     */
    boolean decode(ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return true;
        }
        if (chunked) {
            int n = chunks.scan(in, in.readerIndex(), in.writerIndex());
            if (n == ChunkScanner.ERROR) {
                broken = true;
                chunked = false;
                in.skipBytes(in.readableBytes());
                out.add(failedEnd(new CorruptedFrameException("chunked framing broken")));
            } else if (n > 0) {
                chunked = !chunks.done();
                out.add(new RawBody(in.readRetainedSlice(n), !chunked));
            }
            return true;
        }
        if (remaining > 0) {
            int n = (int) Math.min(in.readableBytes(), remaining);
            if (n > 0) {
                remaining -= n;
                out.add(new RawBody(in.readRetainedSlice(n), remaining == 0));
            }
            return true;
        }
        return false;
    }

    /**
     * The sender left: a body under way ends as a failed part, as Netty ends a body it was decoding. (Every
     * connection ends here, so the exception, whose stack trace costs microseconds, is built only for a cut.)
     */
    void closed(List<Object> out) {
        if (remaining > 0 || chunked) {
            remaining = 0;
            chunked = false;
            out.add(failedEnd(new PrematureChannelClosureException("body cut short")));
        }
    }

    static LastHttpContent failedEnd(Exception cause) {
        LastHttpContent end = new DefaultLastHttpContent();
        end.setDecoderResult(DecoderResult.failure(cause));
        return end;
    }
}

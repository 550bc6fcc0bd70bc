package io.bulwark.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * A message whose head arrived whole, kept as the sender's bytes with as much of its body as came in the same
 * read ({@link WholeRequest}, {@link WholeResponse}); the rest of the body follows as {@link RawBody} parts,
 * whose end {@link RawFraming} finds.
 */
abstract class RawMessage extends DefaultByteBufHolder {
    /** Bodies up to this size are copied behind their head (see {@link #thenBody}). */
    private static final int COPY_BODY_UP_TO = 8192;

    final int headLength;
    private final long contentLength;
    private final boolean complete;

    /**
     * @param bytes the head and what came of the body, in one slice
     * @param contentLength as the head declares it; -1 for a chunked body, which {@code chunks} followed
     */
    RawMessage(ByteBuf bytes, int headLength, long contentLength, ChunkScanner chunks) {
        super(bytes);
        this.headLength = headLength;
        this.contentLength = contentLength;
        this.complete = contentLength < 0 ? chunks.done() : bodyHere() == contentLength;
    }

    /** The body's length as the head declares it; -1 for a chunked body. */
    final long contentLength() {
        return contentLength;
    }

    final boolean chunked() {
        return contentLength < 0;
    }

    /** Of a Content-Length body, how much did not come with the head. */
    final long remaining() {
        return contentLength - bodyHere();
    }

    /** Whether the whole body came with the head. */
    final boolean complete() {
        return complete;
    }

    /** The bytes of the body (with its chunk framing, if chunked) that came with the head. */
    final int bodyHere() {
        return content().readableBytes() - headLength;
    }

    /**
     * Of {@code in}'s bytes after a head of {@code headLength}, how many belong to the body: up to
     * {@code contentLength}, or for a chunked body ({@code -1}) as far as {@code chunks}, started afresh,
     * follows it; {@link ChunkScanner#ERROR} when that framing breaks.
     */
    static int bodyHere(ByteBuf in, int headLength, long contentLength, ChunkScanner chunks) {
        if (contentLength >= 0) {
            return (int) Math.min(in.readableBytes() - headLength, contentLength);
        }
        chunks.reset();
        int from = in.readerIndex() + headLength;
        return chunks.scan(in, from, in.writerIndex());
    }

    /**
     * {@code head} followed by {@code src}'s {@code length} bytes from {@code from}: copied in when short, so
     * the message leaves in one buffer; else appended as a slice of {@code src}, which a copy would only slow.
     */
    static ByteBuf thenBody(ByteBufAllocator alloc, ByteBuf head, ByteBuf src, int from, int length) {
        if (length <= COPY_BODY_UP_TO) {
            return head.writeBytes(src, from, length);
        }
        return alloc.compositeDirectBuffer(2).addComponents(true, head, src.retainedSlice(from, length));
    }

    /** Of a body of {@code length} bytes, how many {@link #thenBody} copies into the head's buffer. */
    static int copiedBody(int length) {
        return length <= COPY_BODY_UP_TO ? length : 0;
    }
}

package io.portcullis.gateway.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * What a body phase decided for one chunk.
 *
 * <p>Ownership: a body phase receives a chunk it owns. It returns {@link Pass} with the bytes to hand on
 * (the same buffer, a transformed one, or an empty buffer while it holds bytes back); whatever it does
 * not hand on it must release or keep in its own bounded hold-back. On {@link Reject} it releases the
 * chunk and anything it held.
 */
public sealed interface BodyVerdict {
    record Pass(ByteBuf out) implements BodyVerdict {}

    record Reject(Problem problem) implements BodyVerdict {}

    static BodyVerdict pass(ByteBuf out) {
        return new Pass(out);
    }

    static BodyVerdict holdAll() {
        return new Pass(Unpooled.EMPTY_BUFFER);
    }
}

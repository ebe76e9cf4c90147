package io.portcullis.gateway.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.CompletionStage;

/**
 * What a body phase decided for one chunk.
 *
 * <p>Ownership: a body phase receives a chunk it owns. It returns {@link Pass} with the bytes to hand on
 * (the same buffer, a transformed one, or an empty buffer while it holds bytes back); whatever it does
 * not hand on it must release or keep in its own bounded hold-back. On {@link Reject} it releases the
 * chunk and anything it held.
 *
 * <p>{@link Pending} is allowed only for the last chunk (in practice: a whole-body phase). The policy keeps
 * ownership of the chunk until the stage completes; the completed verdict then carries it on ({@code Pass}) or
 * has released it ({@code Reject}). The chain runner resumes on the exchange's event loop and releases a
 * passed buffer itself if the exchange ended in the meantime (app gone, vendor timeout).
 */
public sealed interface BodyVerdict {
    record Pass(ByteBuf out) implements BodyVerdict {}

    record Reject(Problem problem) implements BodyVerdict {}

    /** The decision on the last chunk completes later, on any thread; the exchange resumes on its event loop. */
    record Pending(CompletionStage<BodyVerdict> later) implements BodyVerdict {}

    static BodyVerdict pass(ByteBuf out) {
        return new Pass(out);
    }

    static BodyVerdict holdAll() {
        return new Pass(Unpooled.EMPTY_BUFFER);
    }
}

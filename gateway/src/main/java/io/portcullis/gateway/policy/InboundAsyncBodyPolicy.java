package io.portcullis.gateway.policy;

import io.netty.buffer.ByteBuf;
import io.portcullis.gateway.pipeline.BodyVerdict;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import java.util.concurrent.CompletionStage;

/**
 * A whole-body response policy whose decision comes later (clamd answers on a virtual thread).
 *
 * <p>{@link ExchangePolicy#onResponseBody} must answer synchronously, so the chain runner should, for a policy
 * of this type with {@link #needsWholeResponseBody} true, call {@link #onWholeResponseBodyAsync} with the whole
 * body instead and resume the chain on the exchange's event loop when the stage completes (as it does for
 * {@code HeadVerdict.Pending}). Until the runner does so, the synchronous phase applies the policy's fail mode
 * whenever the answer is not already there.
 */
public interface InboundAsyncBodyPolicy extends ExchangePolicy {
    /** Decides on the whole (still encoded) response body; takes ownership of {@code body}. Never blocks. */
    CompletionStage<BodyVerdict> onWholeResponseBodyAsync(Exchange exchange, ByteBuf body);
}

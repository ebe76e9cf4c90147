package io.portcullis.gateway.pipeline;

import io.netty.buffer.ByteBuf;

/**
 * One concern applied to an exchange, in the manner of Envoy's HTTP filters and OkHttp's interceptors.
 * A route compiles to an ordered list of these (see DESIGN.md for the order). Every phase is optional.
 *
 * <p>Threading: every phase is called on the exchange's event loop and must not block. Blocking work
 * (token fetches, clamd, JDBC) runs elsewhere and comes back through {@link HeadVerdict.Pending}.
 *
 * <p>Bodies stream. A policy that must see the whole response body before the app sees anything (schema
 * validation, malware scanning, anything that may still reject) says so in {@link #needsWholeResponseBody};
 * the chain then buffers the response up to the API's {@code maxResponseBody} and calls the response
 * phases with the whole body as one chunk, before any byte goes to the app. Likewise for requests with
 * {@link #needsWholeRequestBody} (signatures over the raw body).
 */
public interface ExchangePolicy {
    /** Short name used in decisions, audit and metrics, e.g. {@code identity}, {@code rate-limit}. */
    String name();

    default HeadVerdict onRequestHead(Exchange exchange) {
        return HeadVerdict.CONTINUE;
    }

    default BodyVerdict onRequestBody(Exchange exchange, ByteBuf chunk, boolean last) {
        return BodyVerdict.pass(chunk);
    }

    default HeadVerdict onResponseHead(Exchange exchange) {
        return HeadVerdict.CONTINUE;
    }

    default BodyVerdict onResponseBody(Exchange exchange, ByteBuf chunk, boolean last) {
        return BodyVerdict.pass(chunk);
    }

    /** Called once when the exchange ends, however it ended; release held resources here. */
    default void onComplete(Exchange exchange) {}

    default boolean needsWholeRequestBody(Exchange exchange) {
        return false;
    }

    default boolean needsWholeResponseBody(Exchange exchange) {
        return false;
    }
}

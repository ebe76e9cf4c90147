package io.portcullis.gateway.policy;

import io.portcullis.core.event.Decision;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpUtil;
import io.portcullis.core.config.Limits;
import io.portcullis.gateway.pipeline.BodyVerdict;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.pipeline.HeadVerdict;
import io.portcullis.gateway.pipeline.Problem;

/**
 * Request body size: refused up front from {@code Content-Length} (413 before any byte is read), and
 * counted while streaming for bodies without one. Exactly {@code maxRequestBody} bytes pass; one more fails.
 */
public final class RequestLimitsPolicy implements ExchangePolicy {
    private final long maxBody;

    private static final class Count {
        long bytes;
    }

    public RequestLimitsPolicy(Limits limits) {
        this.maxBody = limits.maxRequestBodyBytes();
    }

    @Override
    public String name() {
        return "request-limits";
    }

    @Override
    public HeadVerdict onRequestHead(Exchange x) {
        long cl = HttpUtil.getContentLength(x.request(), -1L);
        if (cl > maxBody) return HeadVerdict.reject(tooLarge(x));
        x.state(Count.class, new Count());
        return HeadVerdict.CONTINUE;
    }

    @Override
    public BodyVerdict onRequestBody(Exchange x, ByteBuf chunk, boolean last) {
        var c = x.state(Count.class);
        c.bytes += chunk.readableBytes();
        if (c.bytes > maxBody) {
            chunk.release();
            return new BodyVerdict.Reject(tooLarge(x));
        }
        return BodyVerdict.pass(chunk);
    }

    private Problem tooLarge(Exchange x) {
        String reason = "request body larger than " + maxBody + " bytes";
        x.decide(name(), Decision.Outcome.DENY, reason);
        return Problem.of(413, "body-too-large", "Content Too Large", reason);
    }
}

package io.portcullis.gateway.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.portcullis.core.config.InboundPolicy;
import io.portcullis.core.event.Decision;
import io.portcullis.core.event.FindingRecord;
import io.portcullis.gateway.pipeline.BodyVerdict;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.pipeline.Problem;
import io.portcullis.inspect.limits.StructuralLimits;
import io.portcullis.inspect.limits.StructureVerdict;

/**
 * Structural limits on a webhook delivery's JSON body (depth, array length, string and number length, key count),
 * checked on the whole body after the signature verified. With {@code action: block} a delivery over a limit, or
 * one that is not valid JSON while saying it is, is answered 400 and not forwarded; with {@code report} it becomes
 * a finding. Body size itself is bounded earlier by the route's {@code maxBody} (413).
 */
public final class DeliveryLimitsPolicy implements ExchangePolicy {
    private final InboundPolicy.Limits limits;
    private final StructuralLimits structure;

    public DeliveryLimitsPolicy(InboundPolicy.Limits limits) {
        this.limits = limits;
        this.structure = new StructuralLimits(limits);
    }

    @Override
    public String name() {
        return "delivery-limits";
    }

    @Override
    public boolean needsWholeRequestBody(Exchange x) {
        return true;
    }

    @Override
    public BodyVerdict onRequestBody(Exchange x, ByteBuf chunk, boolean last) {
        if (!last || !LimitsPolicy.isJson(x.request().headers().get(HttpHeaderNames.CONTENT_TYPE))) return BodyVerdict.pass(chunk);
        StructureVerdict v = structure.check(ByteBufUtil.getBytes(chunk, chunk.readerIndex(), chunk.readableBytes(), false));
        String reason = switch (v) {
            case StructureVerdict.Exceeded e -> e.reason();
            case StructureVerdict.Malformed m -> m.reason();
            case StructureVerdict.Within w -> null;
        };
        if (reason == null) return BodyVerdict.pass(chunk);
        String type = v instanceof StructureVerdict.Exceeded e ? e.limit().name() : "MALFORMED_JSON";
        x.find(new FindingRecord("limits", type, "STRUCTURE", "body", reason));
        if (limits.action() == InboundPolicy.Action.BLOCK) {
            chunk.release();
            x.decide(name(), Decision.Outcome.DENY, reason);
            return new BodyVerdict.Reject(Problem.of(400, "delivery-structure", "Bad Request", "the delivery broke a structural limit: " + reason));
        }
        x.decide(name(), Decision.Outcome.FLAG, reason);
        return BodyVerdict.pass(chunk);
    }
}

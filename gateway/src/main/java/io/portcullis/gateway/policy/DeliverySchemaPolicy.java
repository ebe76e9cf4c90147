package io.portcullis.gateway.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.portcullis.core.config.InboundPolicy;
import io.portcullis.core.config.InboundPolicy.Mode;
import io.portcullis.gateway.pipeline.BodyVerdict;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.inspect.limits.ContentDecoder;
import io.portcullis.inspect.schema.ContractFinding;
import io.portcullis.inspect.schema.DeliveryContract;
import java.util.List;

/**
 * Contract validation of webhook deliveries: the verified delivery body is checked against the vendor's published
 * webhook contract ({@link DeliveryContract}: OpenAPI 3.1 {@code webhooks:}, a paths operation, or a JSON Schema of
 * its events) before it is forwarded.
 *
 * <p>{@code enforce}: a delivery that departs from the contract is answered 400 (RFC 9457 problem, type
 * {@code delivery-contract}, with up to ten findings' kind, path and reason) to the sender and never reaches the
 * internal service. {@code report}: the findings go to the exchange's audit and the delivery is forwarded. Findings
 * carry kind, JSON path and a masked excerpt only. Runs after signature verification, so unauthenticated senders
 * never learn the contract.
 */
public final class DeliverySchemaPolicy implements ExchangePolicy {
    private final DeliveryContract contract;
    private final Mode mode;
    private final InboundPolicy.Limits limits;

    public DeliverySchemaPolicy(DeliveryContract contract, Mode mode, InboundPolicy.Limits limits) {
        this.contract = contract;
        this.mode = mode;
        this.limits = limits;
    }

    @Override
    public String name() {
        return "delivery-schema";
    }

    public DeliveryContract contract() {
        return contract;
    }

    @Override
    public boolean needsWholeRequestBody(Exchange x) {
        return mode != Mode.OFF;
    }

    @Override
    public BodyVerdict onRequestBody(Exchange x, ByteBuf chunk, boolean last) {
        if (!last || mode == Mode.OFF) return BodyVerdict.pass(chunk);
        var req = x.request();
        var decoded = ContentDecoder.decodeAll(req.headers().get(HttpHeaderNames.CONTENT_ENCODING), limits,
                ByteBufUtil.getBytes(chunk, chunk.readerIndex(), chunk.readableBytes(), false));
        List<ContractFinding> findings = decoded.verdict().ok()
                ? contract.check(req.headers().get(HttpHeaderNames.CONTENT_TYPE), decoded.body())
                : List.of(new ContractFinding(ContractFinding.Kind.BODY_NOT_JSON, contract.toString(), "$", "the delivery body could not be decoded", ""));
        return SchemaPolicy.verdict(x, name(), mode, chunk, findings, "matches the webhook contract", true,
                400, "delivery-contract", "the delivery does not match the vendor's published webhook contract");
    }
}

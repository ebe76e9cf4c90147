package io.portcullis.gateway.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.portcullis.core.config.InboundPolicy;
import io.portcullis.core.config.InboundPolicy.Mode;
import io.portcullis.core.event.Decision;
import io.portcullis.core.event.FindingRecord;
import io.portcullis.gateway.pipeline.BodyVerdict;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.pipeline.Problem;
import io.portcullis.inspect.limits.ContentDecoder;
import io.portcullis.inspect.schema.ContractFinding;
import io.portcullis.inspect.schema.DeliveryContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private static final int MAX_PROBLEM_FINDINGS = 10;
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
        if (findings.isEmpty()) {
            x.decide(name(), Decision.Outcome.ALLOW, "matches the webhook contract");
            return BodyVerdict.pass(chunk);
        }
        var summary = new ArrayList<Map<String, String>>();
        for (ContractFinding f : findings) {
            String detail = f.excerpt().isEmpty() ? f.reason() : f.reason() + " (" + f.excerpt() + ")";
            x.find(new FindingRecord("schema", f.kind().name(), "CONTRACT", SchemaPolicy.auditPath(f.jsonPath()), detail));
            if (summary.size() < MAX_PROBLEM_FINDINGS) {
                var m = new LinkedHashMap<String, String>();
                m.put("kind", f.kind().name());
                m.put("path", f.jsonPath());
                m.put("reason", f.reason());
                summary.add(m);
            }
        }
        String reason = findings.size() + " contract finding" + (findings.size() == 1 ? "" : "s") + ", first: "
                + findings.getFirst().kind() + " at " + findings.getFirst().jsonPath() + " (" + findings.getFirst().operation() + ")";
        if (mode == Mode.ENFORCE) {
            chunk.release();
            x.decide(name(), Decision.Outcome.DENY, reason);
            return new BodyVerdict.Reject(Problem.of(400, "delivery-contract", "Bad Request", "the delivery does not match the vendor's published webhook contract")
                    .withExtension("operation", findings.getFirst().operation())
                    .withExtension("findings", summary));
        }
        x.decide(name(), Decision.Outcome.FLAG, reason);
        return BodyVerdict.pass(chunk);
    }
}

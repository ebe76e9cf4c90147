package io.portcullis.gateway.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.portcullis.core.config.InboundPolicy;
import io.portcullis.core.config.InboundPolicy.Mode;
import io.portcullis.gateway.pipeline.BodyVerdict;
import io.portcullis.core.event.Decision;
import io.portcullis.core.event.FindingRecord;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.pipeline.Problem;
import io.portcullis.inspect.limits.ContentDecoder;
import io.portcullis.inspect.schema.ContractFinding;
import io.portcullis.inspect.schema.VendorContract;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Contract validation against the vendor's published spec ({@link VendorContract}): responses always (status,
 * content type, JSON body), requests when {@code validateRequests} is set.
 *
 * <p>{@code enforce}: a response that departs from the contract becomes 502 for the app, a request 400 (it never
 * reaches the vendor). {@code report}: findings are added to the exchange's audit and the message passes.
 * Findings carry kind, JSON path and a masked excerpt only. Needs the whole body (the chain buffers it, bounded
 * by the API's response limit); uses {@link InboundDecodedBody} from {@link LimitsPolicy} when present,
 * otherwise decodes under {@link InboundPolicy.Limits#DEFAULT}.
 */
public final class SchemaPolicy implements ExchangePolicy {
    private static final int MAX_PROBLEM_FINDINGS = 10;
    private final VendorContract contract;
    private final InboundPolicy.SchemaPolicy config;
    private final InboundPolicy.Limits limits;

    public SchemaPolicy(VendorContract contract, InboundPolicy.SchemaPolicy config, InboundPolicy.Limits limits) {
        this.contract = contract;
        this.config = config;
        this.limits = limits;
    }

    @Override
    public String name() {
        return "schema";
    }

    /** The compiled contract this policy validates against. */
    public VendorContract contract() {
        return contract;
    }

    @Override
    public boolean needsWholeResponseBody(Exchange x) {
        return config.mode() != Mode.OFF;
    }

    @Override
    public boolean needsWholeRequestBody(Exchange x) {
        return config.mode() != Mode.OFF && config.validateRequests();
    }

    @Override
    public BodyVerdict onRequestBody(Exchange x, ByteBuf chunk, boolean last) {
        if (!last || !needsWholeRequestBody(x)) return BodyVerdict.pass(chunk);
        var req = x.request();
        var decoded = ContentDecoder.decodeAll(req.headers().get(HttpHeaderNames.CONTENT_ENCODING), limits,
                ByteBufUtil.getBytes(chunk, chunk.readerIndex(), chunk.readableBytes(), false));
        String rawQuery = new QueryStringDecoder(req.uri()).rawQuery();
        var headers = new HashSet<>(req.headers().names());
        List<ContractFinding> findings = decoded.verdict().ok()
                ? contract.checkRequest(req.method().name(), path(x), rawQuery, headers, req.headers().get(HttpHeaderNames.CONTENT_TYPE), decoded.body())
                : List.of(new ContractFinding(ContractFinding.Kind.BODY_NOT_JSON, req.method().name(), "$", "the request body could not be decoded", ""));
        return decide(x, chunk, findings, 400, "request-contract", "the request does not match the vendor's contract");
    }

    @Override
    public BodyVerdict onResponseBody(Exchange x, ByteBuf chunk, boolean last) {
        if (!last || config.mode() == Mode.OFF) return BodyVerdict.pass(chunk);
        var resp = x.response();
        String contentType = resp.headers().get(HttpHeaderNames.CONTENT_TYPE);
        byte[] body;
        com.fasterxml.jackson.databind.JsonNode tree = null;
        InboundDecodedBody kept = x.state(InboundDecodedBody.class);
        if (kept != null) {
            body = kept.body();
            // the tree from the limits policy's single parse of the same decoded body, when it has it
            InboundJsonParse parse = x.state(InboundJsonParse.class);
            if (parse != null) tree = parse.tree();
        } else {
            var decoded = ContentDecoder.decodeAll(resp.headers().get(HttpHeaderNames.CONTENT_ENCODING), limits,
                    ByteBufUtil.getBytes(chunk, chunk.readerIndex(), chunk.readableBytes(), false));
            if (!decoded.verdict().ok()) {
                chunk.release();
                x.decide(name(), Decision.Outcome.DENY, "response body could not be decoded");
                return new BodyVerdict.Reject(Problem.of(502, "response-contract", "Bad Gateway", "the vendor's response could not be decoded"));
            }
            body = decoded.body();
        }
        var findings = contract.checkResponse(x.request().method().name(), path(x), resp.status().code(), contentType, body, tree);
        return decide(x, chunk, findings, 502, "response-contract", "the vendor's response does not match its published contract");
    }

    /** {@code body.$.a.b} for body paths, as the audit records them; {@code query.limit} stays as it is. */
    static String auditPath(String jsonPath) {
        return jsonPath.startsWith("$") ? "body." + jsonPath : jsonPath;
    }

    private BodyVerdict decide(Exchange x, ByteBuf chunk, List<ContractFinding> findings, int status, String type, String detail) {
        return verdict(x, name(), config.mode(), chunk, findings, "matches the contract", false, status, type, detail);
    }

    /**
     * The shared outcome of a contract check (API requests and responses here, webhook deliveries in
     * {@link DeliverySchemaPolicy}): every finding into the audit, a decision, and in enforce mode a problem
     * naming the operation and at most {@value #MAX_PROBLEM_FINDINGS} findings (kind, path, reason; no values).
     *
     * @param reasonNamesOperation whether the decision reason also names the operation of the first finding
     */
    static BodyVerdict verdict(Exchange x, String policy, Mode mode, ByteBuf chunk, List<ContractFinding> findings, String allowReason,
                               boolean reasonNamesOperation, int status, String type, String detail) {
        if (findings.isEmpty()) {
            x.decide(policy, Decision.Outcome.ALLOW, allowReason);
            return BodyVerdict.pass(chunk);
        }
        var summary = new ArrayList<Map<String, String>>();
        for (ContractFinding f : findings) {
            String detailText = f.excerpt().isEmpty() ? f.reason() : f.reason() + " (" + f.excerpt() + ")";
            x.find(new FindingRecord("schema", f.kind().name(), "CONTRACT", auditPath(f.jsonPath()), detailText));
            if (summary.size() < MAX_PROBLEM_FINDINGS) {
                var m = new LinkedHashMap<String, String>();
                m.put("kind", f.kind().name());
                m.put("path", f.jsonPath());
                m.put("reason", f.reason());
                summary.add(m);
            }
        }
        String reason = findings.size() + " contract finding" + (findings.size() == 1 ? "" : "s") + ", first: "
                + findings.getFirst().kind() + " at " + findings.getFirst().jsonPath()
                + (reasonNamesOperation ? " (" + findings.getFirst().operation() + ")" : "");
        if (mode == Mode.ENFORCE) {
            chunk.release();
            x.decide(policy, Decision.Outcome.DENY, reason);
            return new BodyVerdict.Reject(Problem.of(status, type, status == 400 ? "Bad Request" : "Bad Gateway", detail)
                    .withExtension("operation", findings.getFirst().operation())
                    .withExtension("findings", summary));
        }
        x.decide(policy, Decision.Outcome.FLAG, reason);
        return BodyVerdict.pass(chunk);
    }

    /**
     * The path to look up in the spec: the path below the route, or (when the API's upstream has a base path the
     * spec includes in its paths) the path as sent upstream.
     */
    private String path(Exchange x) {
        String method = x.request().method().name();
        String inRoute = x.pathInRoute();
        if (inRoute != null && contract.documents(method, inRoute)) return inRoute;
        String upstreamPath = new QueryStringDecoder(x.request().uri()).rawPath();
        if (contract.documents(method, upstreamPath)) return upstreamPath;
        return inRoute != null ? inRoute : upstreamPath;
    }
}

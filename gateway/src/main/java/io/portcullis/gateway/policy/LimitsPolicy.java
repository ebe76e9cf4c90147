package io.portcullis.gateway.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.portcullis.core.config.InboundPolicy;
import io.portcullis.gateway.GatewayEvents;
import io.portcullis.gateway.pipeline.BodyVerdict;
import io.portcullis.core.event.Decision;
import io.portcullis.core.event.FindingRecord;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.HeadVerdict;
import io.portcullis.gateway.pipeline.Problem;
import io.portcullis.inspect.limits.ContentDecoder;
import io.portcullis.inspect.limits.DecodeVerdict;
import io.portcullis.inspect.inbound.InboundJsonPass;
import io.portcullis.inspect.limits.StructuralLimits;
import io.portcullis.inspect.limits.StructureVerdict;
import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.Map;

/**
 * Response structural limits and decompression guard, streaming: each chunk of the vendor's body is decoded
 * ({@code gzip}, {@code deflate}, {@code br}) under the size and ratio caps and, for JSON, checked by
 * {@link StructuralLimits} as it arrives. The original (encoded) bytes pass on unchanged.
 *
 * <p>A decompression bomb or corrupt encoding always ends the exchange with 502 and a security event.
 * A structural limit or malformed JSON does too with {@code action: block}; with {@code action: report} it
 * becomes a finding on the exchange. When another policy needs the whole body, the decoded bytes are kept in
 * {@link InboundDecodedBody} (bounded by {@code maxBodySize}) so schema and malware checks see plain content.
 *
 * <p>Single parse: the structural scan of a JSON body is the only time the body is tokenized. Its tokens also
 * feed the threat scan and (with a contract) the tree for schema validation ({@link InboundJsonParse}, in the
 * exchange state from the response head on); the threat and schema policies use those results and parse the body
 * themselves only when the parse could not give their exact verdict (a limit broken in report mode, a body at one
 * of their engines' own caps).
 */
public final class LimitsPolicy implements io.portcullis.gateway.pipeline.ExchangePolicy {
    private final InboundPolicy.Limits limits;
    private final StructuralLimits structure;
    private final GatewayEvents events;
    private final boolean keepDecoded;
    private final io.portcullis.inspect.threats.ThreatEngine threats;
    private final boolean buildTree;

    private static final class State {
        ContentDecoder decoder;
        InboundJsonPass json;
        ByteArrayOutputStream decoded;
        String contentType;
        boolean reported;
    }

    /**
     * @param keepDecoded whether later policies need the decoded body ({@link InboundDecodedBody})
     */
    public LimitsPolicy(InboundPolicy.Limits limits, GatewayEvents events, boolean keepDecoded) {
        this(limits, events, keepDecoded, null, false);
    }

    /**
     * With the single parse of JSON bodies ({@link InboundJsonParse}): the structural scan's tokens also feed the
     * threat scan of {@code threats} and, with {@code buildTree}, the tree for contract validation.
     *
     * @param threats   the threat policy's engine, or null when no threat policy runs
     * @param buildTree whether a schema policy runs
     */
    public LimitsPolicy(InboundPolicy.Limits limits, GatewayEvents events, boolean keepDecoded,
                        io.portcullis.inspect.threats.ThreatEngine threats, boolean buildTree) {
        this.limits = limits;
        this.structure = new StructuralLimits(limits);
        this.events = events;
        this.keepDecoded = keepDecoded;
        this.threats = threats;
        this.buildTree = buildTree;
    }

    @Override
    public String name() {
        return "inbound-limits";
    }

    @Override
    public HeadVerdict onResponseHead(Exchange x) {
        var h = x.response().headers();
        x.state(InboundJsonParse.class, null); // a parse belongs to one response (a replay brings another)
        var s = new State();
        s.contentType = h.get(HttpHeaderNames.CONTENT_TYPE);
        String encoding = h.get(HttpHeaderNames.CONTENT_ENCODING);
        boolean structural = limits.action() != InboundPolicy.Action.OFF;
        // with structure checks off, an identity body that nobody needs decoded is not looked at
        if (!structural && !keepDecoded && (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity"))) return HeadVerdict.CONTINUE;
        s.decoder = ContentDecoder.forEncoding(encoding, limits);
        if (structural && isJson(s.contentType)) {
            s.json = new InboundJsonPass(structure, threats, buildTree);
            if (threats != null || buildTree) {
                boolean identity = encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity");
                boolean covered = threats != null && identity && limits.action() == InboundPolicy.Action.BLOCK
                        && io.portcullis.inspect.threats.ThreatEngine.tokenScanCovers(limits.maxDepth(), limits.maxNumberLength(), limits.maxStringLength());
                x.state(InboundJsonParse.class, new InboundJsonParse(s.json, threats, covered));
            }
        }
        if (keepDecoded) s.decoded = new ByteArrayOutputStream();
        x.state(State.class, s);
        return HeadVerdict.CONTINUE;
    }

    @Override
    public BodyVerdict onResponseBody(Exchange x, ByteBuf chunk, boolean last) {
        State s = x.state(State.class);
        if (s == null) return BodyVerdict.pass(chunk);
        byte[] bytes = ByteBufUtil.getBytes(chunk, chunk.readerIndex(), chunk.readableBytes(), false);
        StructureVerdict[] structural = {null};
        DecodeVerdict dv = s.decoder.feed(bytes, 0, bytes.length, last, (b, o, l) -> {
            if (s.decoded != null) s.decoded.write(b, o, l);
            if (s.json != null && structural[0] == null) {
                var v = s.json.feed(b, o, l, false);
                if (!v.ok()) structural[0] = v;
            }
        });
        if (!dv.ok()) {
            chunk.release();
            return new BodyVerdict.Reject(bomb(x, dv));
        }
        if (last && s.json != null && structural[0] == null) {
            var v = s.json.feed(new byte[0], 0, 0, true);
            if (!v.ok()) structural[0] = v;
        }
        if (structural[0] != null && !s.reported) {
            s.reported = true;
            String path = switch (structural[0]) {
                case StructureVerdict.Exceeded e -> e.jsonPath();
                case StructureVerdict.Malformed m -> m.jsonPath();
                case StructureVerdict.Within w -> "$";
            };
            String reason = switch (structural[0]) {
                case StructureVerdict.Exceeded e -> e.reason();
                case StructureVerdict.Malformed m -> m.reason();
                case StructureVerdict.Within w -> "";
            };
            String type = structural[0] instanceof StructureVerdict.Exceeded e ? e.limit().name() : "MALFORMED_JSON";
            x.find(new FindingRecord("limits", type, "STRUCTURE", "body." + path, reason));
            if (limits.action() == InboundPolicy.Action.BLOCK) {
                chunk.release();
                x.decide(name(), Decision.Outcome.DENY, reason + " at " + path);
                return new BodyVerdict.Reject(Problem.of(502, "response-structure", "Bad Gateway",
                        "the vendor's response broke a structural limit: " + reason + " at " + path));
            }
            x.decide(name(), Decision.Outcome.FLAG, reason + " at " + path);
        }
        if (last && s.decoded != null) {
            x.state(InboundDecodedBody.class, new InboundDecodedBody(s.decoded.toByteArray(), s.contentType));
            s.decoded = null;
        }
        return BodyVerdict.pass(chunk);
    }

    private Problem bomb(Exchange x, DecodeVerdict dv) {
        String reason;
        String type;
        if (dv instanceof DecodeVerdict.Bomb b) {
            type = "decompression-bomb";
            reason = b.reason().equals("ratio")
                    ? "decoded/encoded ratio over " + b.limit() + " (" + b.decodedBytes() + " from " + b.encodedBytes() + " bytes)"
                    : "decoded body over " + b.limit() + " bytes";
        } else {
            type = "bad-content-encoding";
            reason = ((DecodeVerdict.Corrupt) dv).reason();
        }
        x.find(new FindingRecord("limits", type.toUpperCase(Locale.ROOT).replace('-', '_'), "DECOMPRESSION", "body", reason));
        x.decide(name(), Decision.Outcome.DENY, reason);
        events.securityEvent(type, "high", x.vendor(), x.api(), x.app(), reason, Map.of("requestId", x.requestId()));
        return Problem.of(502, type, "Bad Gateway", "the vendor's response was refused: " + reason);
    }

    static boolean isJson(String contentType) {
        if (contentType == null) return false;
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) t = t.substring(0, semi);
        t = t.trim();
        return t.equals("application/json") || t.endsWith("+json") || t.equals("text/json");
    }
}

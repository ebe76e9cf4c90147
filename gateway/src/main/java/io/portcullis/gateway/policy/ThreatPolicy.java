package io.portcullis.gateway.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.core.config.InboundPolicy;
import io.portcullis.core.event.Decision;
import io.portcullis.core.event.FindingRecord;
import io.portcullis.gateway.GatewayEvents;
import io.portcullis.gateway.pipeline.BodyVerdict;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.pipeline.HeadVerdict;
import io.portcullis.gateway.pipeline.Problem;
import io.portcullis.inspect.limits.ContentDecoder;
import io.portcullis.inspect.threats.ThreatEngine;
import io.portcullis.inspect.threats.ThreatFinding;
import io.portcullis.inspect.threats.ThreatReport;
import io.portcullis.inspect.threats.ValueContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Injection detection ({@link ThreatEngine}) on what a third party sends: response header values and JSON, form
 * and XML bodies of vendor responses, and, for webhook routes, the sender's request.
 *
 * <p>Guarantees: with {@code action: block} an inspectable response (JSON, form or XML content type) is held
 * whole (bounded by the route's response limit) and a finding ends it with 502 before any byte reaches the app;
 * a webhook request with a finding is answered 400 and never forwarded. With {@code action: report} the body streams
 * on unchanged (JSON through the engine's non-blocking session, or the limits policy's single parse of the body
 * when that covers it — see {@link InboundJsonParse}; others kept up to {@code maxBodySize}) and the
 * findings only land on the exchange. Every finding records category, where (JSON path, form field, header name),
 * the vendor, and a short masked excerpt — never the payload. A body that cannot be parsed is not treated as clean:
 * it becomes an {@code UNINSPECTABLE} finding.
 */
public final class ThreatPolicy implements ExchangePolicy {
    /** Header values that carry only protocol structure; everything else a vendor sends is scanned. */
    private static final Set<String> STRUCTURAL_HEADERS = Set.of("content-length", "content-type", "content-encoding",
            "transfer-encoding", "connection", "keep-alive", "date", "expires", "last-modified", "age", "etag",
            "cache-control", "vary", "strict-transport-security", "x-request-id", "accept-ranges", "server");

    /** Which side of the exchange this instance inspects. */
    public enum Side { VENDOR_RESPONSE, SENDER_REQUEST }

    private final ThreatEngine engine;
    private final InboundPolicy.Threats config;
    private final InboundPolicy.Limits limits;
    private final Side side;
    private final GatewayEvents events;

    public ThreatPolicy(ThreatEngine engine, InboundPolicy.Threats config, InboundPolicy.Limits limits, Side side, GatewayEvents events) {
        this.engine = engine;
        this.config = config;
        this.limits = limits;
        this.side = side;
        this.events = events;
    }

    @Override
    public String name() {
        return "threats";
    }

    private boolean block() {
        return config.action() == InboundPolicy.Action.BLOCK;
    }

    private enum Kind { JSON, FORM, XML }

    static Kind kindOf(String contentType) {
        if (contentType == null) return null;
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) t = t.substring(0, semi);
        t = t.trim();
        if (t.equals("application/json") || t.endsWith("+json") || t.equals("text/json")) return Kind.JSON;
        if (t.equals("application/x-www-form-urlencoded")) return Kind.FORM;
        if (t.equals("application/xml") || t.equals("text/xml") || t.endsWith("+xml")) return Kind.XML;
        return null;
    }

    /** Per exchange: a streaming JSON session or a bounded copy of the body (report mode). */
    private static final class State {
        Kind kind;
        ThreatEngine.JsonScanSession json;
        /** The limits policy's single parse, which scans this body for us (JSON, not content-encoded, limits blocking). */
        InboundJsonParse shared;
        ByteArrayOutputStream copy;
        boolean overflow;
    }

    // ---- vendor responses ----

    @Override
    public boolean needsWholeResponseBody(Exchange x) {
        // decided again once the response head is known: only inspectable bodies are held
        return side == Side.VENDOR_RESPONSE && block() && x.response() != null
                && kindOf(x.response().headers().get(HttpHeaderNames.CONTENT_TYPE)) != null;
    }

    @Override
    public HeadVerdict onResponseHead(Exchange x) {
        if (side != Side.VENDOR_RESPONSE) return HeadVerdict.CONTINUE;
        HttpHeaders h = x.response().headers();
        int found = 0;
        for (var e : h) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (STRUCTURAL_HEADERS.contains(name)) continue;
            ValueContext ctx = name.equals("location") || name.equals("content-location") || name.equals("link") ? ValueContext.URL : ValueContext.HEADER;
            found += record(x, engine.scanValue(e.getValue(), ctx), "header." + name);
        }
        if (found > 0 && block()) {
            x.decide(name(), Decision.Outcome.DENY, found + " injection finding(s) in response headers");
            return HeadVerdict.reject(Problem.of(502, "response-threat", "Bad Gateway",
                    "the vendor's response headers carry an injection payload"));
        }
        Kind kind = kindOf(h.get(HttpHeaderNames.CONTENT_TYPE));
        if (kind != null && !block()) { // report mode: inspect while streaming
            var s = new State();
            s.kind = kind;
            String enc = h.get(HttpHeaderNames.CONTENT_ENCODING);
            if (kind == Kind.JSON && (enc == null || enc.equalsIgnoreCase("identity"))) {
                InboundJsonParse parse = x.state(InboundJsonParse.class);
                if (parse != null && parse.covers(engine)) s.shared = parse;
                else s.json = engine.newJsonSession();
            } else s.copy = new ByteArrayOutputStream();
            x.state(State.class, s);
        }
        return HeadVerdict.CONTINUE;
    }

    @Override
    public BodyVerdict onResponseBody(Exchange x, ByteBuf chunk, boolean last) {
        if (side != Side.VENDOR_RESPONSE) return BodyVerdict.pass(chunk);
        if (block()) {
            if (!last) return BodyVerdict.pass(chunk);
            Kind kind = kindOf(x.response().headers().get(HttpHeaderNames.CONTENT_TYPE));
            if (kind == null) return BodyVerdict.pass(chunk);
            byte[] body = decoded(x, chunk, x.response().headers().get(HttpHeaderNames.CONTENT_ENCODING));
            if (body == null) return BodyVerdict.pass(chunk); // undecodable: the limits policy answers for it
            ThreatReport report = null;
            if (kind == Kind.JSON) { // from the limits policy's single parse of the body when it has the exact report
                InboundJsonParse parse = x.state(InboundJsonParse.class);
                if (parse != null) report = parse.threats(engine);
            }
            int found = record(x, report != null ? report : scan(kind, body), "body");
            if (found > 0) {
                chunk.release();
                x.decide(name(), Decision.Outcome.DENY, found + " injection finding(s) in the response body");
                events.securityEvent("response-threat", "high", x.vendor(), x.api(), x.app(),
                        "injection payload in the vendor's response", Map.of("requestId", x.requestId()));
                return new BodyVerdict.Reject(Problem.of(502, "response-threat", "Bad Gateway",
                        "the vendor's response carries an injection payload; see the audit record " + x.requestId()));
            }
            x.decide(name(), Decision.Outcome.ALLOW, "no injection found");
            return BodyVerdict.pass(chunk);
        }
        State s = x.state(State.class);
        if (s == null) return BodyVerdict.pass(chunk);
        if (s.shared != null) {
            // scanned by the limits policy's single parse
        } else if (s.json != null) {
            if (chunk.hasArray()) s.json.feed(chunk.array(), chunk.arrayOffset() + chunk.readerIndex(), chunk.readableBytes());
            else {
                byte[] b = ByteBufUtil.getBytes(chunk, chunk.readerIndex(), chunk.readableBytes(), false);
                s.json.feed(b, 0, b.length);
            }
        } else if (!s.overflow) {
            if (s.copy.size() + (long) chunk.readableBytes() > limits.maxBodySize()) {
                s.overflow = true;
                s.copy = null;
            } else {
                s.copy.writeBytes(ByteBufUtil.getBytes(chunk, chunk.readerIndex(), chunk.readableBytes(), false));
            }
        }
        if (last) {
            ThreatReport r;
            if (s.shared != null) {
                r = s.shared.threats(engine);
                // cannot happen while the limits block (a body they accept is always scanned); never read as clean
                if (r == null) r = new ThreatReport(java.util.List.of(), "the body's single parse did not complete");
            } else if (s.json != null) r = s.json.finish();
            else if (s.overflow) r = new ThreatReport(java.util.List.of(), "body larger than maxBodySize: not inspected");
            else {
                byte[] body = decodedBytes(s.copy.toByteArray(), x.response().headers().get(HttpHeaderNames.CONTENT_ENCODING));
                r = body == null ? ThreatReport.CLEAN : scan(s.kind, body);
            }
            int found = record(x, r, "body");
            x.decide(name(), found > 0 ? Decision.Outcome.FLAG : Decision.Outcome.ALLOW,
                    found > 0 ? found + " injection finding(s) reported" : "no injection found");
        }
        return BodyVerdict.pass(chunk);
    }

    // ---- webhook senders ----

    @Override
    public boolean needsWholeRequestBody(Exchange x) {
        return side == Side.SENDER_REQUEST;
    }

    @Override
    public HeadVerdict onRequestHead(Exchange x) {
        if (side != Side.SENDER_REQUEST) return HeadVerdict.CONTINUE;
        String uri = x.request().uri();
        int q = uri.indexOf('?');
        int found = 0;
        if (q >= 0) found += record(x, engine.scanForm(uri.substring(q + 1)), "query");
        if (found > 0 && block()) {
            x.decide(name(), Decision.Outcome.DENY, found + " injection finding(s) in the query");
            return HeadVerdict.reject(Problem.of(400, "request-threat", "Bad Request", "the request carries an injection payload"));
        }
        return HeadVerdict.CONTINUE;
    }

    @Override
    public BodyVerdict onRequestBody(Exchange x, ByteBuf chunk, boolean last) {
        if (side != Side.SENDER_REQUEST || !last) return BodyVerdict.pass(chunk);
        Kind kind = kindOf(x.request().headers().get(HttpHeaderNames.CONTENT_TYPE));
        if (kind == null) return BodyVerdict.pass(chunk);
        byte[] body = decoded(x, chunk, x.request().headers().get(HttpHeaderNames.CONTENT_ENCODING));
        if (body == null) {
            chunk.release();
            return new BodyVerdict.Reject(Problem.of(400, "bad-content-encoding", "Bad Request", "the request body could not be decoded"));
        }
        int found = record(x, scan(kind, body), "body");
        if (found > 0 && block()) {
            chunk.release();
            x.decide(name(), Decision.Outcome.DENY, found + " injection finding(s) in the request body");
            events.securityEvent("webhook-threat", "high", x.vendor(), x.api(), null,
                    "injection payload in a webhook from " + x.vendor(), Map.of("requestId", x.requestId()));
            return new BodyVerdict.Reject(Problem.of(400, "request-threat", "Bad Request", "the request body carries an injection payload"));
        }
        x.decide(name(), found > 0 ? Decision.Outcome.FLAG : Decision.Outcome.ALLOW, found > 0 ? found + " injection finding(s) reported" : "no injection found");
        return BodyVerdict.pass(chunk);
    }

    // ---- shared ----

    private ThreatReport scan(Kind kind, byte[] body) {
        return switch (kind) {
            case JSON -> engine.scanJson(body);
            case FORM -> engine.scanForm(new String(body, StandardCharsets.UTF_8));
            case XML -> engine.scanXml(new String(body, StandardCharsets.UTF_8));
        };
    }

    /** The decoded body: the one the limits policy kept, or decoded here under the same caps; null when undecodable. */
    private byte[] decoded(Exchange x, ByteBuf chunk, String encoding) {
        InboundDecodedBody kept = side == Side.VENDOR_RESPONSE ? x.state(InboundDecodedBody.class) : null;
        if (kept != null) return kept.body();
        return decodedBytes(ByteBufUtil.getBytes(chunk, chunk.readerIndex(), chunk.readableBytes(), false), encoding);
    }

    private byte[] decodedBytes(byte[] raw, String encoding) {
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) return raw;
        var d = ContentDecoder.decodeAll(encoding, limits, raw);
        return d.verdict().ok() ? d.body() : null;
    }

    /** Records the report's findings on the exchange; returns how many there were (a malformed body counts as one). */
    private int record(Exchange x, ThreatReport r, String where) {
        int n = 0;
        for (ThreatFinding f : r.findings()) {
            String path = f.path().isEmpty() ? where : where.equals("body") && f.path().startsWith("$") ? "body." + f.path() : where + "." + f.path();
            x.find(new FindingRecord("threat", f.category().name(), "INJECTION", path,
                    f.reason() + " (score " + f.score() + ", from " + (x.vendor() == null ? "?" : x.vendor()) + "): " + mask(f.excerpt())));
            n++;
        }
        if (r.malformed() != null && where.equals("body")) {
            x.find(new FindingRecord("threat", "UNINSPECTABLE", "INJECTION", where, "body could not be inspected: " + r.malformed()));
            n++;
        }
        return n;
    }

    /** Excerpts are short attack text; digit runs (card, account numbers near the payload) are masked. */
    static String mask(String excerpt) {
        StringBuilder b = new StringBuilder(excerpt.length());
        int digits = 0;
        for (int i = 0; i < excerpt.length(); i++) {
            char c = excerpt.charAt(i);
            if (Character.isDigit(c)) {
                digits++;
                b.append(digits > 3 ? '#' : c);
            } else {
                digits = 0;
                b.append(c);
            }
        }
        return b.toString();
    }
}

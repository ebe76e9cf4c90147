package io.portcullis.gateway.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.core.config.ApiConfig;
import io.portcullis.core.config.DataPolicy;
import io.portcullis.core.event.Decision;
import io.portcullis.core.event.FindingRecord;
import io.portcullis.gateway.pipeline.BodyVerdict;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.pipeline.HeadVerdict;
import io.portcullis.gateway.pipeline.Problem;
import io.portcullis.gateway.snapshot.SnapshotCompiler;
import io.portcullis.inspect.dlp.DataPolicyEvaluator;
import io.portcullis.inspect.dlp.DlpDecision;
import io.portcullis.inspect.dlp.DlpEngine;
import io.portcullis.inspect.dlp.DlpStreamScanner;
import io.portcullis.inspect.dlp.Finding;
import io.portcullis.inspect.dlp.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * DLP on what leaves for a vendor: request headers, query and body are scanned, findings are checked
 * against the API's {@link DataPolicy}, and violations are alerted on, redacted in place, or blocked with a
 * 403 problem that names types and paths, never values. Every finding, allowed or not, is recorded on the
 * exchange ({@code kind=dlp}, masked) and its class added to the exchange's data classes: the data-flow record.
 *
 * <h2>Streaming and memory</h2>
 * Identity-encoded JSON and text bodies are scanned as they stream through a {@link DlpStreamScanner}: bytes
 * go upstream only after {@link #holdBack()} more bytes were seen (or the body ended), so a value split across
 * chunks is found before any of it leaves, and a block stops the exchange first. Memory per exchange is the
 * hold-back plus one chunk. Compressed, form and multipart bodies need the whole body (to decode or to know
 * field names): the chain buffers them up to the API's request body limit. A compressed body that must be
 * redacted is blocked instead (it cannot be redacted without re-encoding); one that could not be fully
 * decoded (size or ratio caps) is treated as carrying a violation when the policy blocks.
 */
public final class DlpPolicy implements ExchangePolicy {
    /** Default bytes held back across chunk boundaries. */
    public static final int DEFAULT_HOLD_BACK = 4096;

    private final DlpEngine engine;
    private final DataPolicyEvaluator evaluator;
    private final int holdBack;

    private static final class State {
        DlpStreamScanner stream;
        final List<Finding> violations = new ArrayList<>();
        DlpDecision worst;
    }

    public DlpPolicy(DataPolicy policy, DlpEngine engine, int holdBack) {
        this.evaluator = new DataPolicyEvaluator(policy);
        var custom = DataPolicyEvaluator.detectors(policy);
        this.engine = custom.isEmpty() ? engine : DlpEngine.builder().custom(custom).build();
        this.holdBack = holdBack;
    }

    /**
     * Contributes a DLP policy to every API; {@code policies} gives an API's data policy (null = none, which
     * alerts on everything).
     */
    public static SnapshotCompiler.PolicyContributor contributor(DlpEngine engine, Function<ApiConfig, DataPolicy> policies) {
        return (api, cfg) -> {
            DataPolicy p = policies.apply(api);
            return p != null && p.off() ? List.of() : List.of(new DlpPolicy(p, engine, DEFAULT_HOLD_BACK));
        };
    }

    @Override
    public String name() {
        return "dlp";
    }

    public int holdBack() {
        return holdBack;
    }

    @Override
    public HeadVerdict onRequestHead(Exchange x) {
        var state = new State();
        x.state(State.class, state);
        HttpHeaders headers = x.request().headers();
        var scanned = new ArrayList<Map.Entry<String, String>>();
        for (var h : headers) {
            String n = h.getKey().toLowerCase(Locale.ROOT);
            if (n.startsWith("x-portcullis-") || n.equals("proxy-authorization") || n.equals("content-length")) continue;
            scanned.add(h);
        }
        List<Finding> findings = new ArrayList<>(engine.scanHeaders(scanned));
        String uri = x.request().uri();
        int q = uri.indexOf('?');
        String query = q < 0 ? "" : uri.substring(q + 1);
        findings.addAll(engine.scanQuery(query));
        DlpDecision d = decide(x, findings, "request head");
        switch (d) {
            case DlpDecision.Block b -> {
                return HeadVerdict.reject(problem(b));
            }
            case DlpDecision.Redact r -> redactHead(x, r.violations(), query, q);
            default -> { }
        }
        if (!needsWholeRequestBody(x)) {
            String ct = headers.get(HttpHeaderNames.CONTENT_TYPE);
            boolean json = ct != null && (ct.toLowerCase(Locale.ROOT).contains("json"));
            state.stream = new DlpStreamScanner(engine, json, holdBack);
        }
        return HeadVerdict.CONTINUE;
    }

    private static void redactHead(Exchange x, List<Finding> violations, String query, int q) {
        HttpHeaders headers = x.request().headers();
        var byHeader = new java.util.LinkedHashMap<String, List<Finding>>();
        var inQuery = new ArrayList<Finding>();
        for (Finding f : violations) {
            if (f.path().startsWith("header.")) byHeader.computeIfAbsent(f.path().substring(7), k -> new ArrayList<>()).add(f);
            else inQuery.add(f);
        }
        for (var e : byHeader.entrySet()) {
            String v = headers.get(e.getKey());
            if (v == null) continue;
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            Redaction.apply(b, e.getValue());
            headers.set(e.getKey(), new String(b, StandardCharsets.UTF_8));
        }
        if (!inQuery.isEmpty()) {
            byte[] b = query.getBytes(StandardCharsets.UTF_8);
            Redaction.apply(b, inQuery);
            x.request().setUri(x.request().uri().substring(0, q + 1) + new String(b, StandardCharsets.UTF_8));
        }
    }

    @Override
    public boolean needsWholeRequestBody(Exchange x) {
        HttpHeaders h = x.request().headers();
        String enc = h.get(HttpHeaderNames.CONTENT_ENCODING);
        if (enc != null && !enc.isBlank() && !enc.trim().equalsIgnoreCase("identity")) return true;
        String ct = h.get(HttpHeaderNames.CONTENT_TYPE);
        if (ct == null) return false;
        String l = ct.toLowerCase(Locale.ROOT);
        return l.startsWith("application/x-www-form-urlencoded") || l.startsWith("multipart/");
    }

    @Override
    public BodyVerdict onRequestBody(Exchange x, ByteBuf chunk, boolean last) {
        State state = x.state(State.class);
        if (state == null) { // head phase did not run (should not happen); scan nothing rather than fail open silently
            x.decide(name(), Decision.Outcome.FLAG, "not inspected: no request head state");
            return BodyVerdict.pass(chunk);
        }
        if (state.stream == null) return wholeBody(x, chunk);
        byte[] bytes = ByteBufUtil.getBytes(chunk);
        chunk.release();
        var r = state.stream.feed(bytes, 0, bytes.length, last);
        DlpDecision d = decide(x, r.findings(), "request body");
        byte[] out = r.bytes();
        switch (d) {
            case DlpDecision.Block b -> {
                return new BodyVerdict.Reject(problem(b));
            }
            case DlpDecision.Redact red -> Redaction.apply(out, 0, out.length, r.offset(), red.violations());
            default -> { }
        }
        return BodyVerdict.pass(out.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(out));
    }

    private BodyVerdict wholeBody(Exchange x, ByteBuf chunk) {
        HttpHeaders h = x.request().headers();
        byte[] bytes = ByteBufUtil.getBytes(chunk);
        chunk.release();
        String enc = h.get(HttpHeaderNames.CONTENT_ENCODING);
        boolean encoded = enc != null && !enc.isBlank() && !enc.trim().equalsIgnoreCase("identity");
        var report = engine.scanBody(bytes, h.get(HttpHeaderNames.CONTENT_TYPE), enc);
        DlpDecision d = decide(x, report.findings(), "request body");
        if (!report.complete()) {
            x.decide(name(), Decision.Outcome.FLAG, "body not fully inspected: " + report.incomplete());
            if (evaluator.policy().action() == DataPolicy.Action.BLOCK) {
                return new BodyVerdict.Reject(Problem.of(403, "dlp-uninspectable", "Request body could not be inspected",
                        "The request body could not be fully inspected (" + report.incomplete() + ") and this API blocks data it cannot check."));
            }
        }
        switch (d) {
            case DlpDecision.Block b -> {
                return new BodyVerdict.Reject(problem(b));
            }
            case DlpDecision.Redact red -> {
                if (encoded) {
                    return new BodyVerdict.Reject(problem(new DlpDecision.Block(red.recorded(), red.violations())));
                }
                Redaction.apply(bytes, red.violations());
            }
            default -> { }
        }
        return BodyVerdict.pass(Unpooled.wrappedBuffer(bytes));
    }

    /** Evaluates, records every finding on the exchange, and notes the decision for the audit. */
    private DlpDecision decide(Exchange x, List<Finding> findings, String where) {
        DlpDecision d = evaluator.evaluate(findings);
        for (Finding f : d.recorded()) {
            x.find(new FindingRecord("dlp", f.type(), f.dataClass().name(), f.path(), f.masked()));
            x.dataClass(f.dataClass().name());
        }
        if (!d.violations().isEmpty()) {
            String types = d.violations().stream().map(f -> f.type() + "@" + (f.path().isEmpty() ? "?" : f.path()))
                    .distinct().limit(10).reduce((a, b) -> a + ", " + b).orElse("");
            Decision.Outcome outcome = switch (d) {
                case DlpDecision.Block b -> Decision.Outcome.DENY;
                case DlpDecision.Redact r -> Decision.Outcome.MODIFY;
                default -> Decision.Outcome.FLAG;
            };
            String verb = switch (d) {
                case DlpDecision.Block b -> "blocked";
                case DlpDecision.Redact r -> "redacted";
                default -> "alert";
            };
            x.decide(name(), outcome, verb + " in " + where + ": " + types);
        }
        return d;
    }

    private Problem problem(DlpDecision.Block b) {
        var list = new ArrayList<Map<String, String>>();
        for (Finding f : b.violations()) {
            var m = Map.of("type", f.type(), "class", f.dataClass().name(), "path", f.path());
            if (!list.contains(m)) list.add(m);
        }
        String types = String.join(", ", b.violations().stream().map(Finding::type).distinct().toList());
        return Problem.of(403, "dlp-blocked", "Sensitive data is not allowed for this API",
                "The request carries data this API may not receive: " + types + ".").withExtension("violations", list);
    }
}

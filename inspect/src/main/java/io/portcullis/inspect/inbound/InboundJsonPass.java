package io.portcullis.inspect.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.inspect.limits.StructuralLimits;
import io.portcullis.inspect.limits.StructureVerdict;
import io.portcullis.inspect.schema.JsonTreeBuilder;
import io.portcullis.inspect.threats.ThreatEngine;
import io.portcullis.inspect.threats.ThreatReport;

/**
 * The single parse of an inbound JSON body: one streaming tokenizer (the structural-limits scan, with its strict
 * UTF-8, duplicate-key and RFC 8259 checks) whose tokens fan out to the threat engine's per-value scan and, when a
 * contract needs it, to a tree builder for schema validation.
 *
 * <p>Guarantees: {@link #feed} returns exactly what {@link StructuralLimits.Scan#feed} returns for the same
 * chunks. Once the body ended {@code Within} every limit, {@link #threats()} is the report
 * {@link ThreatEngine#scanJson(byte[])} gives for the body and {@link #tree()} the tree the contract's reader
 * builds — or null when that could not be established from the tokens (nothing else was asked for, the body
 * broke a limit or was malformed, or it sits at one of those engines' own caps); a caller holding null falls back
 * to the engine's own parse of the bytes. Single-threaded, one body. Never throws.
 */
public final class InboundJsonPass {
    private final StructuralLimits.Scan scan;
    private final ThreatEngine.JsonTokenScan threats;
    private final JsonTreeBuilder tree;
    private StructureVerdict verdict;
    private boolean ended;

    /**
     * @param limits     the structural limits
     * @param engine     the threat engine whose scan rides on the parse, or null
     * @param buildTree  whether to build the tree for contract validation
     */
    public InboundJsonPass(StructuralLimits limits, ThreatEngine engine, boolean buildTree) {
        this.threats = engine == null ? null : engine.newTokenScan();
        this.tree = buildTree ? new JsonTreeBuilder() : null;
        StructuralLimits.TokenListener listener;
        if (threats != null && tree != null) {
            listener = (p, t) -> {
                threats.token(p, t);
                tree.token(p, t);
            };
        } else if (threats != null) {
            listener = threats::token;
        } else if (tree != null) {
            listener = tree::token;
        } else {
            listener = null;
        }
        this.scan = limits.begin(listener);
    }

    /** Feeds the next chunk of the decoded body; {@code last} ends it. Same verdicts as the structural scan. */
    public StructureVerdict feed(byte[] buf, int off, int len, boolean last) {
        verdict = scan.feed(buf, off, len, last);
        if (last) ended = true;
        return verdict;
    }

    /** Whether the body ended and was one JSON value within every limit. */
    public boolean complete() {
        return ended && verdict != null && verdict.ok();
    }

    /** The threat report of the whole body, or null (see the class comment). */
    public ThreatReport threats() {
        return complete() && threats != null && threats.exact() ? threats.report() : null;
    }

    /** The JSON tree of the whole body, or null (see the class comment). */
    public JsonNode tree() {
        return complete() && tree != null ? tree.tree() : null;
    }
}

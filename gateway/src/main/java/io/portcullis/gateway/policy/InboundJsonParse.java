package io.portcullis.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.inspect.inbound.InboundJsonPass;
import io.portcullis.inspect.threats.ThreatEngine;
import io.portcullis.inspect.threats.ThreatReport;

/**
 * The single parse of a vendor's JSON response, run by {@link LimitsPolicy} and kept in the exchange state from the
 * response head on, so {@link ThreatPolicy} and {@link SchemaPolicy} read its results instead of parsing the body
 * again. Each result is null unless the whole body was parsed within every limit and the result is exactly what
 * the policy's own parse would give (see {@link InboundJsonPass}); a policy holding null parses the body itself.
 *
 * @param pass             the parse (fed by the limits policy, complete once it saw the last chunk)
 * @param engine           the threat engine the parse scans with, or null when it does not
 * @param threatsCovered   true when the limits block and are within the engine's own caps and the body is not
 *                         content-encoded: then every response that is not refused gets its threat report from the
 *                         parse, so a report-mode threat policy need not run its own streaming scan
 */
record InboundJsonParse(InboundJsonPass pass, ThreatEngine engine, boolean threatsCovered) {
    /** The threat report of the whole body by {@code engine}, or null. */
    ThreatReport threats(ThreatEngine by) {
        return by == engine ? pass.threats() : null;
    }

    /** The body's JSON tree for contract validation, or null. */
    JsonNode tree() {
        return pass.tree();
    }

    /** Whether a report-mode policy scanning with {@code by} can rely on this parse (see {@link #threatsCovered}). */
    boolean covers(ThreatEngine by) {
        return threatsCovered && by == engine;
    }
}

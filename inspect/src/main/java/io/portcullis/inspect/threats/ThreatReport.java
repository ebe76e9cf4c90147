package io.portcullis.inspect.threats;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The verdict over one value or one body.
 *
 * @param findings  findings at or above the engine threshold, in input order
 * @param malformed {@code null} when the body was parsed completely; otherwise a short description of why it could
 *                  not be (truncated, invalid UTF-8, nesting too deep, duplicate key, ...). Findings seen before the
 *                  error are kept. A malformed body must not be treated as clean: it could not be inspected fully.
 */
public record ThreatReport(List<ThreatFinding> findings, String malformed) {
    public static final ThreatReport CLEAN = new ThreatReport(List.of(), null);

    public ThreatReport {
        findings = List.copyOf(findings);
    }

    /** True when there is at least one finding or the body was malformed. */
    public boolean isAttack() {
        return !findings.isEmpty() || malformed != null;
    }

    public boolean isMalformed() {
        return malformed != null;
    }

    /** Distinct categories of the findings. */
    public Set<ThreatCategory> categories() {
        Set<ThreatCategory> s = EnumSet.noneOf(ThreatCategory.class);
        for (ThreatFinding f : findings) s.add(f.category());
        return s;
    }

    /** Highest finding score, 0 when there are none. */
    public int maxScore() {
        int m = 0;
        for (ThreatFinding f : findings) m = Math.max(m, f.score());
        return m;
    }
}

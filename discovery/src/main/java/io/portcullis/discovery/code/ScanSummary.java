package io.portcullis.discovery.code;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Counts of a repository scan: what was read, what was skipped and why, what was found. */
public record ScanSummary(long filesScanned, long bytesScanned, Map<SkipReason, Long> skipped,
                          Map<FindingKind, Long> findings, long manifestsRead, long manifestsWithProblems,
                          long errors, Duration elapsed) {
    public ScanSummary {
        skipped = Map.copyOf(skipped);
        findings = Map.copyOf(findings);
    }

    public long totalFindings() {
        return findings.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One human-readable line, e.g. for stderr at the end of {@code scan repo}. */
    public String line() {
        String skips = java.util.Arrays.stream(SkipReason.values())
                .map(r -> r.wireName() + "=" + skipped.getOrDefault(r, 0L)).collect(Collectors.joining(" "));
        String kinds = java.util.Arrays.stream(FindingKind.values())
                .map(k -> k.wireName() + "=" + findings.getOrDefault(k, 0L)).collect(Collectors.joining(" "));
        double secs = elapsed.toNanos() / 1e9;
        return String.format(Locale.ROOT,
                "scan: %d files (%.1f MB) in %.2f s (%.1f MB/s); skipped: %s; findings: %s; manifests: %d read, %d with problems; errors: %d",
                filesScanned, bytesScanned / 1e6, secs, secs > 0 ? bytesScanned / 1e6 / secs : 0.0, skips, kinds,
                manifestsRead, manifestsWithProblems, errors);
    }
}

package io.portcullis.discovery.code;

import java.util.List;

/**
 * The result of a repository scan.
 *
 * @param findings sorted by file, line, kind and detail
 * @param problems one line per manifest problem or file error ({@code file: problem}), never file content
 */
public record ScanReport(List<RepoFinding> findings, ScanSummary summary, List<String> problems) {
    public ScanReport {
        findings = List.copyOf(findings);
        problems = List.copyOf(problems);
    }
}

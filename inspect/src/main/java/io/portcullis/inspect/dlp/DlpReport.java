package io.portcullis.inspect.dlp;

import java.util.List;

/**
 * The result of scanning one payload.
 *
 * @param findings   findings in order of their start offset
 * @param incomplete null when every byte was inspected; otherwise why not (decoding limits, unsupported
 *                   encoding), so a policy can refuse what it could not inspect
 */
public record DlpReport(List<Finding> findings, String incomplete) {
    public DlpReport {
        findings = List.copyOf(findings);
    }

    public boolean complete() {
        return incomplete == null;
    }
}

package io.portcullis.discovery.diff;

import io.portcullis.discovery.traffic.LearnedOperation;

import java.util.List;

/**
 * The label of one learned operation and why.
 *
 * @param operation the learned operation
 * @param label     its label
 * @param reason    one human sentence saying why
 * @param matched   the documented operation it matched, or {@code null}
 * @param drift     field-level differences between observed and documented schemas (may be non-empty for any label)
 */
public record Verdict(LearnedOperation operation, Label label, String reason, CatalogOperation matched,
                      List<String> drift) {
}

package io.portcullis.core.event;

import java.util.Objects;

/**
 * The audit-safe summary of one inspection finding (DLP hit, injection pattern, schema violation, malware …).
 *
 * @param kind     the engine family, e.g. {@code "dlp"}, {@code "threat"}, {@code "schema"}, {@code "malware"}
 * @param type     what was found, e.g. {@code "credit_card"}, {@code "sql_injection"}
 * @param category a coarser class, e.g. {@code "pci"}, {@code "injection"}; may be empty
 * @param path     where in the message, e.g. {@code "body.$.card.number"} or {@code "header:x-note"}; may be empty
 * @param detail   a <em>masked</em> preview or explanation; the producer must never pass the raw value
 */
public record FindingRecord(String kind, String type, String category, String path, String detail) {

    public FindingRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        category = category == null ? "" : category;
        path = path == null ? "" : path;
        detail = detail == null ? "" : detail;
    }
}

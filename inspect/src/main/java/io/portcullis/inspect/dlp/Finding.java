package io.portcullis.inspect.dlp;

import java.util.Objects;

/**
 * One piece of sensitive data found in a payload. It never holds the value itself: only its location
 * and a {@link #masked() masked preview} such as {@code 4111********1111}, so a finding may be logged,
 * audited and returned to clients.
 *
 * @param type       stable UPPER_SNAKE type name (see {@link DlpTypes} for the built-in list)
 * @param dataClass  PCI, PII, SECRET or CUSTOM
 * @param start      first byte of the value (absolute offset in the scanned stream)
 * @param end        one past the last byte
 * @param path       JSON path ({@code $.customer.card.number}), form/query field ({@code card[number]},
 *                   {@code query.email}), header ({@code header.Authorization}) or multipart part; empty when unknown
 * @param likelihood how likely the finding is real
 * @param masked     masked preview; never the raw value
 */
public record Finding(String type, DataClass dataClass, long start, long end, String path,
                      Likelihood likelihood, String masked) {
    public Finding {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(dataClass, "dataClass");
        Objects.requireNonNull(likelihood, "likelihood");
        path = path == null ? "" : path;
        masked = masked == null ? "" : masked;
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span " + start + ".." + end);
    }

    public Finding withPath(String newPath) {
        return new Finding(type, dataClass, start, end, newPath, likelihood, masked);
    }

    /** The same finding moved by {@code delta} bytes (for nested or streamed scans). */
    public Finding shifted(long delta) {
        return new Finding(type, dataClass, start + delta, end + delta, path, likelihood, masked);
    }

    /** The same finding with its span replaced (for values found inside a decoded layer). */
    public Finding respanned(long newStart, long newEnd) {
        return new Finding(type, dataClass, newStart, newEnd, path, likelihood, masked);
    }
}

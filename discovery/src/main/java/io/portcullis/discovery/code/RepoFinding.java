package io.portcullis.discovery.code;

import java.util.Objects;

/**
 * One finding of a repository scan. Within one file, repeated sightings of the same thing are folded into
 * one finding at the first line, with {@code occurrences} counting them.
 *
 * @param vendor registry id of the vendor, or null for an unknown external host
 * @param file   path relative to the scanned root, with '/' separators
 * @param line   1-based line of the first sighting
 * @param detail what was seen: a URL without query or credentials, an import, a package and version, or a
 *               secret's type and masked preview; never a secret value
 */
public record RepoFinding(FindingKind kind, String vendor, String file, int line, String detail, int occurrences) {
    public RepoFinding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(detail, "detail");
        if (line < 1 || occurrences < 1) {
            throw new IllegalArgumentException("line and occurrences start at 1");
        }
    }
}

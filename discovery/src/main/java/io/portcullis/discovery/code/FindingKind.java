package io.portcullis.discovery.code;

import java.util.Locale;

/** What a repository scan finding is about. */
public enum FindingKind {
    /** A third-party API base URL or host written in source or config. */
    ENDPOINT,
    /** An import of a vendor SDK in source code. */
    SDK,
    /** A vendor package declared in a dependency manifest or lock file. */
    DEPENDENCY,
    /** A hard-coded secret (reported with a masked preview only). */
    SECRET;

    /** The lowercase name used in JSON output and the store. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FindingKind fromWireName(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}

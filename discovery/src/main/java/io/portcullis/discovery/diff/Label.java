package io.portcullis.discovery.diff;

import java.util.Locale;

/** How a learned or documented operation stands against the catalog. */
public enum Label {
    /** Used and documented, schema consistent. */
    DOCUMENTED,
    /** Used but not approved or not documented: unknown host, or an operation absent from the host's spec. */
    SHADOW,
    /** Deprecated or superseded operation still called. */
    ZOMBIE,
    /** Documented operation whose observed schema differs from the documented one. */
    DRIFT,
    /** Documented operation with no traffic in the window. */
    ORPHAN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

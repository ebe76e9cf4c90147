package io.portcullis.discovery.traffic;

/** What one path segment looks like. Literal kinds stay constants in a template; the others become parameters. */
public enum SegmentKind {
    /** A word or anything not recognised as a value: stays a constant unless sibling evidence says otherwise. */
    WORD(true),
    /** An API version such as {@code v1}, {@code v2beta1}, {@code 1.1} or a leading date like {@code 2010-04-01}: stays a constant. */
    VERSION(true),
    INTEGER(false),
    UUID(false),
    /** Hexadecimal identifier such as a Mongo ObjectId or a digest. */
    HEX(false),
    /** Identifier with a type prefix, like Stripe's {@code cus_NffrFeUfNV2Hib}. */
    PREFIXED_ID(false),
    /** Random-looking token (base62, SIDs like Twilio's {@code AC…}, Slack's {@code C024BE91L}). */
    OPAQUE_ID(false),
    DATE(false),
    EMAIL(false),
    /** Words that sibling evidence turned into a parameter (user names, slugs). */
    VALUE(false);

    private final boolean literal;

    SegmentKind(boolean literal) {
        this.literal = literal;
    }

    /** True when segments of this kind stay constants in a template. */
    public boolean literal() {
        return literal;
    }

    int bit() {
        return 1 << ordinal();
    }
}

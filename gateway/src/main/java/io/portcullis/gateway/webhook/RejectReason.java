package io.portcullis.gateway.webhook;

/**
 * Why a webhook was refused. Every reason maps to HTTP 401 for the sender except
 * {@link #KEYS_UNAVAILABLE} (503) and {@link #INTERNAL_ERROR} (500), gateway-side faults the vendor
 * should retry later; the gateway
 * answers with an RFC 9457 problem whose {@code type} ends in {@link #slug()}.
 */
public enum RejectReason {
    /** A required header (signature, timestamp, id) is absent. */
    MISSING_HEADER(401),
    /** A header is present more than once where exactly one is expected. */
    DUPLICATE_HEADER(401),
    /** A header does not follow the vendor's syntax (missing parts, bad encoding, non-numeric timestamp). */
    MALFORMED_HEADER(401),
    /** A header is longer than the verifier accepts. */
    HEADER_TOO_LARGE(401),
    /** The request URL cannot be parsed or lacks what the scheme needs. */
    MALFORMED_URL(401),
    /** The body cannot be parsed where the scheme needs its structure (Twilio form parameters). */
    MALFORMED_BODY(401),
    /** The header carries no signature in a version this verifier understands. */
    UNSUPPORTED_SIGNATURE_VERSION(401),
    /** The signed timestamp is older than the tolerance. */
    TIMESTAMP_TOO_OLD(401),
    /** The signed timestamp is further in the future than the allowed clock skew. */
    TIMESTAMP_IN_FUTURE(401),
    /** No configured secret produces any of the presented signatures. */
    SIGNATURE_MISMATCH(401),
    /** The body does not match the hash the signed URL commits to (Twilio {@code bodySHA256}). */
    BODY_HASH_MISMATCH(401),
    /** A request with the same event id or signature was already accepted within the replay window. */
    REPLAYED(401),
    /** No usable secret is configured or the secret source failed (gateway-side fault). */
    KEYS_UNAVAILABLE(503),
    /** An unexpected fault inside the verifier (a bug); the request is refused, the vendor retries. */
    INTERNAL_ERROR(500);

    private final int httpStatus;

    RejectReason(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status the gateway should answer the sender with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** A stable lowercase identifier for problem types, metrics and audit, e.g. {@code signature-mismatch}. */
    public String slug() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}

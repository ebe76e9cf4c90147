package io.portcullis.gateway.policy;

/**
 * The vendor's response body after {@code Content-Encoding} was decoded, kept in the exchange state by
 * {@link LimitsPolicy} for the whole-body inbound policies (schema, malware), so the body is decoded once.
 *
 * @param body        decoded bytes
 * @param contentType the response {@code Content-Type}, or null
 */
public record InboundDecodedBody(byte[] body, String contentType) {
}

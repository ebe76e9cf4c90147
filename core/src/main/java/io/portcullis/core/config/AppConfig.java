package io.portcullis.core.config;

import java.util.List;
import java.util.Optional;

/**
 * An internal caller and the ways it may prove who it is. Any one configured way suffices.
 *
 * @param name         stable name used in allow rules, audit and metrics
 * @param description  free text
 * @param apiKeySha256 lower-case hex SHA-256 digests of its API keys (the keys themselves are never in config)
 * @param mtls         client certificate identity on the TLS listener
 * @param jwt          JWT identity: issuer name and subject (or client id) claim values
 */
public record AppConfig(String name, String description, List<byte[]> apiKeySha256, Optional<MtlsIdentity> mtls,
                        Optional<JwtIdentity> jwt) {

    /** Matches a verified client certificate by subject DN (RFC 2253 form) and/or a SAN (DNS, URI or email). */
    public record MtlsIdentity(Optional<String> subject, List<String> sans) {}

    /** Matches a verified JWT by issuer and one of the accepted subjects ({@code sub}, or {@code client_id}/{@code azp}). */
    public record JwtIdentity(String issuer, List<String> subjects) {}
}

package io.portcullis.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A JWT issuer apps may use to identify themselves.
 *
 * @param name      referenced from apps
 * @param issuer    expected {@code iss}
 * @param jwksUri   where its signing keys are (https, or http with explicit opt-in for tests)
 * @param audiences accepted {@code aud} values (one must match)
 * @param clockSkew tolerated clock skew on exp/nbf/iat
 * @param algorithms accepted JWS algorithms (asymmetric only)
 */
public record JwtIssuerConfig(String name, String issuer, URI jwksUri, List<String> audiences, Duration clockSkew,
                              List<String> algorithms) {}

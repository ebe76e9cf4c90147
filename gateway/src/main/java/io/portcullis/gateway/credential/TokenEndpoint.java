package io.portcullis.gateway.credential;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import io.portcullis.core.config.CredentialSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One OAuth 2.0 client-credentials exchange (RFC 6749 §4.4) against a token endpoint, asynchronous from end
 * to end: the request is built (and a {@code private_key_jwt} assertion signed) on a virtual thread and sent
 * with {@code java.net.http}'s async client, so no event-loop thread ever waits on a token endpoint.
 *
 * <p>Client authentication: {@code client_secret_basic}, {@code client_secret_post}, {@code private_key_jwt}
 * (RFC 7523: {@code iss}={@code sub}=client id, {@code aud}=issuer identifier or the configured override, a
 * fresh 128-bit {@code jti} per assertion, 60 s lifetime) and {@code tls_client_auth} (RFC 8705: the client
 * certificate authenticates; only {@code client_id} is sent). With DPoP the request carries a proof, and a
 * {@code use_dpop_nonce} error is retried once with the server's nonce (RFC 9449 §8).
 * Errors are {@link TokenFetchException}s naming the endpoint and status/OAuth error code only.
 */
final class TokenEndpoint {
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final long DEFAULT_LIFETIME_S = 300;

    /** Client authentication material, swapped atomically when a secret is rotated. */
    record ClientSecrets(Secret clientSecret, JWK signingKey, JWSAlgorithm algorithm) {
        @Override
        public String toString() {
            return "ClientSecrets[redacted]";
        }
    }

    private final CredentialSpec.ClientCredentials spec;
    private final URI tokenUrl;
    private final String origin;
    private final HttpClient http;
    private final Executor executor;
    private final Clock clock;
    private final DpopProver dpop; // null without DPoP
    private volatile ClientSecrets secrets;

    TokenEndpoint(CredentialSpec.ClientCredentials spec, ClientSecrets secrets, DpopProver dpop, HttpClient http, Executor executor, Clock clock) {
        this.spec = spec;
        this.tokenUrl = spec.tokenUrl();
        this.origin = RequestTarget.of("POST", tokenUrl).origin();
        this.secrets = secrets;
        this.dpop = dpop;
        this.http = http;
        this.executor = executor;
        this.clock = clock;
    }

    void secrets(ClientSecrets s) {
        this.secrets = s;
    }

    String describe() {
        return tokenUrl.getScheme() + "://" + tokenUrl.getRawAuthority() + tokenUrl.getRawPath();
    }

    CompletableFuture<CachedToken> fetch() {
        return attempt(true);
    }

    private CompletableFuture<CachedToken> attempt(boolean mayRetryNonce) {
        long sentAt = clock.millis();
        return CompletableFuture.supplyAsync(this::buildRequest, executor)
                .thenCompose(req -> http.sendAsync(req, BoundedBody.handler(MAX_RESPONSE_BYTES)))
                .handle((resp, err) -> {
                    if (err != null) throw failure(TokenCache.unwrap(err));
                    return resp;
                })
                .thenCompose(resp -> {
                    String nonce = resp.headers().firstValue("DPoP-Nonce").orElse(null);
                    if (dpop != null && nonce != null) dpop.nonce(origin, nonce);
                    TokenResponse parsed = parse(resp);
                    if (!parsed.indicatesSuccess()) {
                        var code = ((TokenErrorResponse) parsed).getErrorObject();
                        String c = code == null || code.getCode() == null ? "no error code" : safeCode(code.getCode());
                        if (dpop != null && mayRetryNonce && "use_dpop_nonce".equals(c) && nonce != null) {
                            return attempt(false);
                        }
                        throw new TokenFetchException("token endpoint " + describe() + " answered " + resp.statusCode() + " " + c, retryAfter(resp));
                    }
                    return CompletableFuture.completedFuture(token((AccessTokenResponse) parsed, sentAt));
                });
    }

    private HttpRequest buildRequest() {
        ClientSecrets s = secrets;
        ClientID id = new ClientID(spec.clientId());
        ClientAuthentication auth = switch (spec.auth()) {
            case CLIENT_SECRET_BASIC -> new ClientSecretBasic(id, s.clientSecret());
            case CLIENT_SECRET_POST -> new ClientSecretPost(id, s.clientSecret());
            case PRIVATE_KEY_JWT -> new PrivateKeyJWT(assertion(s));
            // RFC 8705 §2.1: the TLS client certificate authenticates; the request carries client_id only
            case TLS_CLIENT_AUTH -> new com.nimbusds.oauth2.sdk.auth.PKITLSClientAuthentication(id, (javax.net.ssl.SSLSocketFactory) null);
        };
        var grant = new ClientCredentialsGrant();
        TokenRequest.Builder b = new TokenRequest.Builder(tokenUrl, auth, grant);
        if (!spec.scopes().isEmpty()) b.scope(new Scope(spec.scopes().toArray(new String[0])));
        if (spec.resource() != null) b.resource(URI.create(spec.resource()));
        if (spec.audience() != null) b.customParameter("audience", spec.audience());
        HTTPRequest h = b.build().toHTTPRequest();
        var rb = HttpRequest.newBuilder(tokenUrl).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(h.getBody()));
        String authz = h.getHeaderValue("Authorization");
        if (authz != null) rb.header("Authorization", authz);
        if (dpop != null) rb.header("DPoP", dpop.proof("POST", describe(), null, origin));
        return rb.build();
    }

    private SignedJWT assertion(ClientSecrets s) {
        long now = clock.millis();
        var claims = new JWTClaimsSet.Builder()
                .issuer(spec.clientId()).subject(spec.clientId())
                .audience(spec.effectiveAssertionAudience())
                .jwtID(new JWTID(16).getValue())
                .issueTime(new Date(now)).notBeforeTime(new Date(now))
                .expirationTime(new Date(now + 60_000))
                .build();
        var header = new JWSHeader.Builder(s.algorithm()).keyID(spec.keyId() != null ? spec.keyId() : s.signingKey().getKeyID()).build();
        var jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new DefaultJWSSignerFactory().createJWSSigner(s.signingKey(), s.algorithm()));
        } catch (JOSEException e) {
            throw new TokenFetchException("client assertion signing failed (" + e.getClass().getSimpleName() + ")");
        }
        return jwt;
    }

    private TokenResponse parse(HttpResponse<String> resp) {
        try {
            var h = new HTTPResponse(resp.statusCode());
            String ct = resp.headers().firstValue("Content-Type").orElse(null);
            if (ct != null) h.setContentType(ct);
            h.setBody(resp.body());
            resp.headers().firstValue("WWW-Authenticate").ifPresent(v -> h.setHeader("WWW-Authenticate", v));
            return TokenResponse.parse(h);
        } catch (ParseException | RuntimeException e) {
            int st = resp.statusCode();
            throw new TokenFetchException("token endpoint " + describe() + " answered " + st
                    + (st / 100 == 2 ? " with a response that is not a valid token response" : ""), retryAfter(resp));
        }
    }

    private CachedToken token(AccessTokenResponse r, long sentAt) {
        AccessToken at = r.getTokens().getAccessToken();
        boolean isDpop = AccessTokenType.DPOP.equals(at.getType());
        if (isDpop && dpop == null) throw new TokenFetchException("token endpoint " + describe() + " issued a DPoP token but dpop is not enabled");
        long life = at.getLifetime() > 0 ? at.getLifetime() : DEFAULT_LIFETIME_S;
        long lifeMs = Math.multiplyExact(Math.min(life, 366L * 86400), 1000L);
        long skew = spec.renewBefore().toMillis();
        long refreshAt = sentAt + (lifeMs > 2 * skew ? lifeMs - skew : lifeMs / 2);
        long expiresAt = sentAt + lifeMs - Math.min(5_000, lifeMs / 10);
        return new CachedToken(at.getValue(), isDpop, sentAt, refreshAt, Math.max(refreshAt, expiresAt));
    }

    private TokenFetchException failure(Throwable t) {
        if (t instanceof TokenFetchException f) return f;
        if (t instanceof HttpTimeoutException) return new TokenFetchException("token endpoint " + describe() + " timed out after " + TIMEOUT.toSeconds() + "s");
        if (t instanceof java.net.ConnectException) return new TokenFetchException("token endpoint " + describe() + " refused the connection");
        if (t instanceof javax.net.ssl.SSLException) return new TokenFetchException("TLS to token endpoint " + describe() + " failed");
        if (t instanceof java.io.IOException) return new TokenFetchException("token endpoint " + describe() + " unreachable (" + t.getClass().getSimpleName() + ")");
        return new TokenFetchException("token request to " + describe() + " could not be made (" + t.getClass().getSimpleName() + ")");
    }

    /** {@code Retry-After} in delta-seconds (the form token endpoints use), capped at one hour; 0 when absent. */
    static long retryAfter(HttpResponse<?> resp) {
        int st = resp.statusCode();
        if (st != 429 && st != 503) return 0;
        String v = resp.headers().firstValue("Retry-After").orElse("").trim();
        if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(Character::isDigit)) return 0;
        return Math.min(3600L, Long.parseLong(v)) * 1000L;
    }

    /** OAuth error codes are a restricted charset (RFC 6749 §5.2); anything else is not echoed. */
    private static String safeCode(String c) {
        return c.length() <= 64 && c.chars().allMatch(ch -> ch == '_' || ch == '-' || ch == '.' || Character.isLetterOrDigit(ch)) ? c : "(unprintable error code)";
    }

    static List<String> authMethods() {
        return List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "tls_client_auth");
    }
}

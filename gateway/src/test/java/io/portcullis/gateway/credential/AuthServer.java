package io.portcullis.gateway.credential;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPTokenRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InMemoryDPoPSingleUseChecker;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequestHandler;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;

/**
 * A real OAuth 2.0 authorization server for tests: mock-oauth2-server (issuing signed JWT access tokens) behind
 * a gate route that does what the mock leaves out — it counts and records token requests, authenticates
 * clients (secret, or private_key_jwt signature/aud/jti), simulates outages, and does RFC 9449 DPoP at the
 * token endpoint (proof verified with Nimbus's DPoPTokenRequestVerifier, use_dpop_nonce flow, token_type DPoP).
 */
final class AuthServer implements AutoCloseable {
    static final String ISSUER_ID = "vendor";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Recorded(Map<String, String> headers, Map<String, String> form) {
    }

    final MockOAuth2Server server;
    private final OAuth2HttpRequestHandler inner;
    final AtomicInteger tokenRequests = new AtomicInteger();
    final AtomicInteger issued = new AtomicInteger();
    final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    final Set<String> jtis = ConcurrentHashMap.newKeySet();
    final Map<String, String> jktByToken = new ConcurrentHashMap<>();
    final List<String> issuedTokens = new CopyOnWriteArrayList<>();
    volatile boolean down;
    volatile String retryAfter;             // Retry-After on the outage response
    volatile long delayMs;
    volatile String clientId = "portcullis";
    volatile String clientSecret;           // checked for client_secret_basic/post when set
    volatile JWK clientKey;                 // checked for private_key_jwt when set
    volatile String expectedAssertionAudience;
    volatile boolean dpop;                  // require a DPoP proof
    volatile String dpopNonce;              // require this nonce in proofs (null: none)
    volatile long expiresIn = 3600;
    volatile int padTo;                     // when > 0, token responses are padded to exactly this many bytes
    private final DPoPTokenRequestVerifier[] dpopVerifier = new DPoPTokenRequestVerifier[1];

    AuthServer() {
        var cfg = new OAuth2Config();
        inner = new OAuth2HttpRequestHandler(cfg);
        server = new MockOAuth2Server(cfg, new Gate());
        server.start();
    }

    URI tokenUrl() {
        return server.tokenEndpointUrl(ISSUER_ID).uri();
    }

    String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    private final class Gate implements Route {
        @Override
        public boolean match(OAuth2HttpRequest r) {
            return "POST".equals(r.getMethod()) && r.getUrl().encodedPath().endsWith("/token");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest r) {
            tokenRequests.incrementAndGet();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String n : r.getHeaders().names()) headers.put(n.toLowerCase(), r.getHeaders().get(n));
            Map<String, String> form = form(r.getBody());
            recorded.add(new Recorded(headers, form));
            if (delayMs > 0) sleep(delayMs);
            if (down) {
                Headers h = retryAfter == null ? Headers.of("Content-Type", "text/plain") : Headers.of("Content-Type", "text/plain", "Retry-After", retryAfter);
                return new OAuth2HttpResponse(h, 503, "maintenance", null);
            }
            if (!"client_credentials".equals(form.get("grant_type"))) return error(400, "unsupported_grant_type", null);
            String authError = authenticate(headers, form);
            if (authError != null) return error(401, "invalid_client", null);
            String jkt = null;
            if (dpop) {
                String proof = headers.get("dpop");
                if (proof == null) return error(400, "invalid_dpop_proof", null);
                try {
                    jkt = verifier().verify(new DPoPIssuer(clientId), SignedJWT.parse(proof),
                            dpopNonce == null ? null : new Nonce(dpopNonce)).getValue().toString();
                } catch (Exception e) {
                    String n = dpopNonce;
                    if (n != null && e.getMessage() != null && e.getMessage().toLowerCase().contains("nonce")) {
                        return error(400, "use_dpop_nonce", n);
                    }
                    return error(400, "invalid_dpop_proof", null);
                }
            }
            OAuth2HttpResponse resp = inner.getAuthorizationServer().invoke(r);
            try {
                ObjectNode body = (ObjectNode) JSON.readTree(resp.getBody());
                String token = body.get("access_token").asText();
                issuedTokens.add(token);
                issued.incrementAndGet();
                body.put("expires_in", expiresIn);
                if (jkt != null) {
                    body.put("token_type", "DPoP");
                    jktByToken.put(token, jkt);
                }
                String out = JSON.writeValueAsString(body);
                if (padTo > 0) {
                    body.put("padding", "");
                    int base = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8).length;
                    body.put("padding", "x".repeat(Math.max(0, padTo - base)));
                    out = JSON.writeValueAsString(body);
                }
                return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json", "Cache-Control", "no-store"), 200, out, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private synchronized DPoPTokenRequestVerifier verifier() {
        if (dpopVerifier[0] == null) {
            dpopVerifier[0] = new DPoPTokenRequestVerifier(Set.of(JWSAlgorithm.ES256, JWSAlgorithm.PS256), tokenUrl(), 30, 60,
                    new InMemoryDPoPSingleUseChecker(60, 60));
        }
        return dpopVerifier[0];
    }

    private String authenticate(Map<String, String> headers, Map<String, String> form) {
        String authz = headers.get("authorization");
        if (authz != null && authz.startsWith("Basic ")) {
            String[] idSecret = new String(Base64.getDecoder().decode(authz.substring(6)), StandardCharsets.UTF_8).split(":", 2);
            String id = URLDecoder.decode(idSecret[0], StandardCharsets.UTF_8);
            String secret = URLDecoder.decode(idSecret[1], StandardCharsets.UTF_8);
            if (!id.equals(clientId)) return "client id";
            return clientSecret == null || clientSecret.equals(secret) ? null : "secret";
        }
        if (form.containsKey("client_assertion")) {
            if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))) return "assertion type";
            try {
                SignedJWT jwt = SignedJWT.parse(form.get("client_assertion"));
                JWK key = clientKey;
                if (key == null) return "no key";
                var v = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), ((AsymmetricJWK) key).toPublicKey());
                if (!jwt.verify(v)) return "signature";
                var c = jwt.getJWTClaimsSet();
                if (!clientId.equals(c.getIssuer()) || !clientId.equals(c.getSubject())) return "iss/sub";
                if (expectedAssertionAudience != null && !c.getAudience().contains(expectedAssertionAudience)) return "aud";
                if (c.getExpirationTime() == null || c.getExpirationTime().before(new Date(System.currentTimeMillis() - 30_000))) return "exp";
                if (c.getJWTID() == null || !jtis.add(c.getJWTID())) return "jti replay";
                return null;
            } catch (Exception e) {
                return "assertion";
            }
        }
        if (form.containsKey("client_secret")) {
            if (!clientId.equals(form.get("client_id"))) return "client id";
            return clientSecret == null || clientSecret.equals(form.get("client_secret")) ? null : "secret";
        }
        return "no client authentication";
    }

    private static OAuth2HttpResponse error(int status, String code, String nonce) {
        String body = "{\"error\":\"" + code + "\"}";
        Headers h = nonce == null ? Headers.of("Content-Type", "application/json")
                : Headers.of("Content-Type", "application/json", "DPoP-Nonce", nonce);
        return new OAuth2HttpResponse(h, status, body, null);
    }

    static Map<String, String> form(String body) {
        var out = new LinkedHashMap<String, String>();
        if (body == null || body.isEmpty()) return out;
        for (String p : body.split("&")) {
            int eq = p.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(Duration.ofMillis(ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.shutdown();
    }
}

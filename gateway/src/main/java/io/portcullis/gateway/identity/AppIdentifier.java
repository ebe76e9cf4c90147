package io.portcullis.gateway.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.portcullis.core.config.AppConfig;
import io.portcullis.core.config.JwtIssuerConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Works out which internal app sent a request (zero trust: every request proves it). Three ways, tried
 * in this order: a verified mTLS client certificate; an API key in {@value #KEY_HEADER}, compared by its
 * SHA-256 digest (config never holds the key); a JWT in {@code Authorization: Bearer}, verified against
 * the issuer's JWKS. The identity headers are removed from the request so they never reach a vendor.
 *
 * <p>Never blocks: a JWT whose key is not yet known completes later, after a JWKS refresh on a virtual
 * thread.
 */
public final class AppIdentifier {
    public static final String KEY_HEADER = "X-Portcullis-Key";

    /** Who it is, or why not. */
    public sealed interface Result {
        record Identified(String app, String method, String detail) implements Result {}

        /** No credential at all, or one that does not verify; {@code reason} is safe to show (no secrets). */
        record Unidentified(String reason) implements Result {}
    }

    private final Map<ByteBuffer, String> appsByKeyDigest = new HashMap<>();
    private final List<AppConfig> mtlsApps;
    private final Map<String, JwksCache> jwks;
    private final Map<String, JwtIssuerConfig> issuersByIss = new HashMap<>();
    private final Map<String, Map<String, String>> appsByIssuerAndSubject = new HashMap<>();
    private final Supplier<Instant> clock;

    public AppIdentifier(Map<String, AppConfig> apps, Map<String, JwtIssuerConfig> issuers, Map<String, JwksCache> jwks, Supplier<Instant> clock) {
        this.clock = clock;
        this.jwks = jwks;
        for (AppConfig a : apps.values()) {
            for (byte[] d : a.apiKeySha256()) appsByKeyDigest.put(ByteBuffer.wrap(d), a.name());
            a.jwt().ifPresent(j -> {
                var m = appsByIssuerAndSubject.computeIfAbsent(j.issuer(), k -> new HashMap<>());
                for (String s : j.subjects()) m.put(s, a.name());
            });
        }
        for (JwtIssuerConfig i : issuers.values()) issuersByIss.put(i.issuer(), i);
        this.mtlsApps = apps.values().stream().filter(a -> a.mtls().isPresent()).toList();
    }

    public CompletionStage<Result> identify(HttpHeaders headers, X509Certificate[] clientChain) {
        if (clientChain != null && clientChain.length > 0) {
            String app = byCertificate(clientChain[0]);
            if (app != null) {
                stripIdentityHeaders(headers);
                return CompletableFuture.completedFuture(new Result.Identified(app, "mtls", "client certificate"));
            }
        }
        String key = headers.get(KEY_HEADER);
        if (key != null) {
            headers.remove(KEY_HEADER);
            String app = appsByKeyDigest.get(ByteBuffer.wrap(sha256(key)));
            if (app == null) return done(new Result.Unidentified("the API key is not recognised"));
            return done(new Result.Identified(app, "api-key", "api key"));
        }
        String auth = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            headers.remove(HttpHeaderNames.AUTHORIZATION);
            return verifyJwt(auth.substring(7).trim());
        }
        if (clientChain != null && clientChain.length > 0) {
            return done(new Result.Unidentified("the client certificate does not belong to any app"));
        }
        return done(new Result.Unidentified("no app identity: send " + KEY_HEADER + ", a client certificate, or Authorization: Bearer <JWT>"));
    }

    private static void stripIdentityHeaders(HttpHeaders h) {
        h.remove(KEY_HEADER);
    }

    private static CompletionStage<Result> done(Result r) {
        return CompletableFuture.completedFuture(r);
    }

    private String byCertificate(X509Certificate cert) {
        String subject = cert.getSubjectX500Principal().getName(javax.security.auth.x500.X500Principal.RFC2253);
        List<String> sans = CertificateNames.subjectAltNames(cert);
        for (AppConfig a : mtlsApps) {
            var m = a.mtls().get();
            boolean subjectOk = m.subject().map(s -> CertificateNames.sameDn(s, subject)).orElse(true);
            boolean sanOk = m.sans().isEmpty() || m.sans().stream().anyMatch(sans::contains);
            if (subjectOk && sanOk) return a.name();
        }
        return null;
    }

    private CompletionStage<Result> verifyJwt(String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return done(new Result.Unidentified("the bearer token is not a signed JWT"));
        }
        JwtIssuerConfig issuer = claims.getIssuer() == null ? null : issuersByIss.get(claims.getIssuer());
        if (issuer == null) return done(new Result.Unidentified("the JWT issuer is not trusted"));
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!issuer.algorithms().contains(alg.getName())) return done(new Result.Unidentified("JWT algorithm " + alg.getName() + " is not accepted"));
        JwksCache cache = jwks.get(issuer.name());
        String kid = jwt.getHeader().getKeyID();
        var key = cache.find(kid, alg);
        if (key != null) return done(check(jwt, claims, issuer, key));
        return cache.refreshIfAllowed().thenApply(refreshed -> {
            var k = cache.find(kid, alg);
            return k == null ? new Result.Unidentified("no key of the JWT issuer matches the token") : check(jwt, claims, issuer, k);
        });
    }

    private Result check(SignedJWT jwt, JWTClaimsSet claims, JwtIssuerConfig issuer, com.nimbusds.jose.JWSVerifier verifier) {
        try {
            if (!jwt.verify(verifier)) return new Result.Unidentified("the JWT signature does not verify");
        } catch (JOSEException e) {
            return new Result.Unidentified("the JWT signature does not verify");
        }
        Instant now = clock.get();
        Duration skew = issuer.clockSkew();
        if (claims.getExpirationTime() == null || now.minus(skew).isAfter(claims.getExpirationTime().toInstant())) {
            return new Result.Unidentified("the JWT has expired or has no exp");
        }
        if (claims.getNotBeforeTime() != null && now.plus(skew).isBefore(claims.getNotBeforeTime().toInstant())) {
            return new Result.Unidentified("the JWT is not valid yet");
        }
        var aud = claims.getAudience();
        if (aud == null || aud.stream().noneMatch(issuer.audiences()::contains)) return new Result.Unidentified("the JWT audience is not accepted");
        var subjects = appsByIssuerAndSubject.getOrDefault(issuer.name(), Map.of());
        String sub = claims.getSubject();
        String app = sub == null ? null : subjects.get(sub);
        if (app == null) {
            Object cid = claims.getClaim("client_id");
            if (cid == null) cid = claims.getClaim("azp");
            if (cid instanceof String s) app = subjects.get(s);
        }
        if (app == null) return new Result.Unidentified("the JWT subject is not an app");
        return new Result.Identified(app, "jwt", "jwt from " + issuer.name());
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    static byte[] sha256(String s) {
        return SHA256.get().digest(s.getBytes(StandardCharsets.UTF_8)); // digest() resets the instance
    }
}

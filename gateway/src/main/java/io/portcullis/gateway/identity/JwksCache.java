package io.portcullis.gateway.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of one JWT issuer, fetched from its JWKS URI off the event loop. Refreshes happen
 * at most once per {@code minRefreshInterval} (an unknown {@code kid} cannot make us hammer the issuer);
 * concurrent refresh requests share one fetch. Only asymmetric keys are used.
 */
public final class JwksCache {
    private static final Logger log = LoggerFactory.getLogger(JwksCache.class);
    private static final int MAX_JWKS_BYTES = 512 * 1024;

    private final String issuerName;
    private final URI uri;
    private final HttpClient http;
    private final Duration minRefreshInterval;
    private final AtomicReference<JWKSet> keys = new AtomicReference<>(new JWKSet());
    private final AtomicReference<CompletableFuture<Boolean>> inFlight = new AtomicReference<>();
    private final AtomicLong lastFetchNanos = new AtomicLong(System.nanoTime() - Duration.ofDays(1).toNanos());

    public JwksCache(String issuerName, URI uri, SSLContext ssl, Duration minRefreshInterval) {
        this.issuerName = issuerName;
        this.uri = uri;
        this.minRefreshInterval = minRefreshInterval;
        var b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        if (ssl != null) b.sslContext(ssl);
        this.http = b.build();
    }

    /** A verifier for the key with this id and algorithm, from the keys fetched so far; null if none. */
    JWSVerifier find(String kid, JWSAlgorithm alg) {
        for (JWK k : keys.get().getKeys()) {
            if (kid != null && !kid.equals(k.getKeyID())) continue;
            if (k.getAlgorithm() != null && !k.getAlgorithm().getName().equals(alg.getName())) continue;
            if (!(k instanceof AsymmetricJWK a)) continue;
            try {
                PublicKey pk = a.toPublicKey();
                var header = new com.nimbusds.jose.JWSHeader(alg);
                return new DefaultJWSVerifierFactory().createJWSVerifier(header, pk);
            } catch (JOSEException e) {
                // key type does not fit the algorithm: try the next one
            }
        }
        return null;
    }

    /** Fetches the JWKS unless it was fetched within the minimum interval; true if new keys were loaded. */
    public CompletionStage<Boolean> refreshIfAllowed() {
        long now = System.nanoTime();
        var current = inFlight.get();
        if (current != null) return current;
        if (now - lastFetchNanos.get() < minRefreshInterval.toNanos()) return CompletableFuture.completedFuture(false);
        var f = new CompletableFuture<Boolean>();
        if (!inFlight.compareAndSet(null, f)) return inFlight.get();
        lastFetchNanos.set(now);
        http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((resp, err) -> {
                    boolean ok = false;
                    try {
                        if (err != null) {
                            log.warn("JWKS fetch for issuer {} failed: {}", issuerName, err.getClass().getSimpleName());
                        } else if (resp.statusCode() != 200 || resp.body().length > MAX_JWKS_BYTES) {
                            log.warn("JWKS fetch for issuer {} answered {} ({} bytes)", issuerName, resp.statusCode(), resp.body().length);
                        } else {
                            keys.set(JWKSet.parse(new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8)));
                            ok = true;
                        }
                    } catch (java.text.ParseException e) {
                        log.warn("JWKS of issuer {} is not a valid JWK set", issuerName);
                    } finally {
                        inFlight.set(null);
                        f.complete(ok);
                    }
                });
        return f;
    }

    /** Loads keys once at start so the first requests need no fetch; failures are logged, not fatal. */
    public void prefetch() {
        refreshIfAllowed();
    }

}

package io.portcullis.gateway.credential;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import io.portcullis.core.secret.SecretStore;
import io.portcullis.core.secret.SecretValue;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RFC 9449 DPoP proofs for one API: one key pair, generated once and kept in the secret store
 * ({@code dpop/<api>}), so the binding survives restarts and is shared by all gateway replicas using the store.
 *
 * <p>Every proof carries {@code htm}, {@code htu} (scheme, authority, path — no query or fragment), {@code iat},
 * a fresh random {@code jti} (Nimbus: 96+ bits), {@code ath} (SHA-256 of the access token) on resource
 * requests, and the last {@code DPoP-Nonce} the server at that origin supplied (§8, §9). Nonces are kept per
 * origin, so the token endpoint's and the resource server's never mix.
 */
public final class DpopProver {
    private final DefaultDPoPProofFactory factory;
    private final String thumbprint;
    private final ConcurrentHashMap<String, String> nonces = new ConcurrentHashMap<>();

    DpopProver(JWK key) {
        try {
            JWSAlgorithm alg = KeyMaterial.algorithm(key, null);
            if (alg == JWSAlgorithm.RS256) alg = JWSAlgorithm.PS256;
            this.factory = new DefaultDPoPProofFactory(key, alg);
            this.thumbprint = key.toPublicJWK().computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("DPoP key cannot be used (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Loads the API's DPoP key from the store, generating and storing a P-256 key pair on first use. */
    static DpopProver forApi(SecretStore store, String apiId) {
        String entry = "dpop/" + apiId.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]", ".");
        SecretValue v = store.getOrCreate(entry, () -> {
            try {
                ECKey k = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
                return SecretValue.ofUtf8(k.toJSONString());
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot generate a DPoP key pair", e);
            }
        });
        return new DpopProver(KeyMaterial.privateJwk(v, "DPoP key " + entry));
    }

    /** The JWK SHA-256 thumbprint ({@code jkt}) the server binds tokens to. */
    public String thumbprint() {
        return thumbprint;
    }

    /** A proof for a request; {@code accessToken} null for token requests (no {@code ath}). */
    String proof(String htm, String htu, String accessToken, String origin) {
        String n = nonces.get(origin);
        try {
            return factory.createDPoPJWT(htm, URI.create(htu), accessToken == null ? null : new DPoPAccessToken(accessToken),
                    n == null ? null : new Nonce(n)).serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("DPoP proof signing failed (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Records a server-supplied nonce; returns true if it differs from the one held. */
    boolean nonce(String origin, String nonce) {
        if (nonce == null || nonce.isEmpty() || nonce.length() > 1024) return false;
        return !nonce.equals(nonces.put(origin, nonce));
    }

    @Override
    public String toString() {
        return "DpopProver[jkt=" + thumbprint + "]";
    }
}

package io.portcullis.gateway.credential;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.oauth2.sdk.auth.Secret;
import io.portcullis.core.config.CredentialSpec;
import io.portcullis.core.secret.SecretResolver;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OAuth 2.0 client credentials: a cached access token per {@link TokenKey}, optionally DPoP-bound (RFC 9449)
 * or certificate-bound (RFC 8705).
 *
 * <p>Cache hit without DPoP: returns the token's ready-made completed future — no allocation. With DPoP each
 * request gets its own proof (one ES256 signature). A vendor 401 whose {@code WWW-Authenticate} carries
 * {@code error="invalid_token"} drops the token (see {@link TokenCache} for the storm guard) and asks for one
 * replay; {@code error="use_dpop_nonce"} with a {@code DPoP-Nonce} records the nonce and asks for one replay.
 */
public final class OAuth2Credential implements ApiCredential {
    private static final Pattern ERROR = Pattern.compile("error\\s*=\\s*\"?([A-Za-z0-9_.-]+)");

    private final String api;
    private final CredentialSpec.ClientCredentials spec;
    private final TokenEndpoint endpoint;
    private final TokenCache.Slot slot;
    private final DpopProver dpop;
    private final ClientTlsIdentity tls;
    private final StripRules strip;

    OAuth2Credential(String api, CredentialSpec.ClientCredentials spec, TokenEndpoint endpoint, TokenCache.Slot slot,
                     DpopProver dpop, ClientTlsIdentity tls) {
        this.api = api;
        this.spec = spec;
        this.endpoint = endpoint;
        this.slot = slot;
        this.dpop = dpop;
        this.tls = tls;
        this.strip = StripRules.of(spec.common().stripHeaders(), spec.common().stripQuery(), spec.common().keepAppCredentials());
    }

    static TokenEndpoint.ClientSecrets secrets(CredentialSpec.ClientCredentials spec, SecretResolver r) {
        return switch (spec.auth()) {
            case CLIENT_SECRET_BASIC, CLIENT_SECRET_POST -> new TokenEndpoint.ClientSecrets(new Secret(r.resolve(spec.clientSecret()).utf8()), null, null);
            case PRIVATE_KEY_JWT -> {
                JWK key = KeyMaterial.privateJwk(r.resolve(spec.privateKey()), spec.privateKey().text());
                JWSAlgorithm alg = KeyMaterial.algorithm(key, spec.algorithm());
                yield new TokenEndpoint.ClientSecrets(null, key, alg);
            }
            case TLS_CLIENT_AUTH -> new TokenEndpoint.ClientSecrets(null, null, null);
        };
    }

    /** Starts a token fetch now if none is cached (warm-up at startup); never blocks. */
    CompletableFuture<?> prefetch() {
        return slot.fresh() != null ? CompletableFuture.completedFuture(null) : slot.get(endpoint::fetch);
    }

    /** Re-resolves client secrets after a rotation; cached tokens stay valid until they expire. */
    void reload(SecretResolver r) {
        endpoint.secrets(secrets(spec, r));
    }

    @Override
    public String api() {
        return api;
    }

    @Override
    public String scheme() {
        return dpop != null ? "dpop" : "oauth2";
    }

    @Override
    public boolean weak() {
        return false;
    }

    @Override
    public StripRules strip() {
        return strip;
    }

    @Override
    public CompletableFuture<Attachment> attach(RequestTarget target) {
        CachedToken t = slot.fresh();
        if (t != null) {
            if (!t.dpop) return t.ready;
            return CompletableFuture.completedFuture(dpopAttachment(t, target));
        }
        return slot.get(endpoint::fetch).thenApply(tok -> tok.dpop ? dpopAttachment(tok, target) : tok.bearerAttachment);
    }

    private Attachment dpopAttachment(CachedToken t, RequestTarget target) {
        String origin = target.origin();
        String proof = dpop.proof(target.method(), target.htu(), t.value, origin);
        return new Attachment("dpop", new String[] {"Authorization", "DPoP"}, new String[] {"DPoP " + t.value, proof},
                null, null, false, t, origin);
    }

    @Override
    public ResponseVerdict onResponse(Attachment used, int status, String wwwAuthenticate, String dpopNonce) {
        boolean newNonce = dpop != null && used.origin != null && dpopNonce != null && dpop.nonce(used.origin, dpopNonce);
        if (status != 401 || wwwAuthenticate == null) return ResponseVerdict.DELIVER;
        String error = null;
        Matcher m = ERROR.matcher(wwwAuthenticate);
        if (m.find()) error = m.group(1);
        if ("use_dpop_nonce".equals(error) && dpop != null && (newNonce || dpopNonce != null)) return ResponseVerdict.RETRY_NONCE;
        if ("invalid_token".equals(error) && used.token != null) {
            return slot.invalidate(used.token) ? ResponseVerdict.RETRY_TOKEN : ResponseVerdict.DELIVER;
        }
        return ResponseVerdict.DELIVER;
    }

    @Override
    public Optional<ClientTlsIdentity> clientTls() {
        return Optional.ofNullable(tls);
    }

    /** For tests and diagnostics: the token endpoint this credential uses (no secrets). */
    public String tokenEndpoint() {
        return endpoint.describe();
    }

    @Override
    public String toString() {
        return "OAuth2Credential[" + api + ", " + spec.auth().name().toLowerCase(java.util.Locale.ROOT) + ", " + endpoint.describe() + "]";
    }
}

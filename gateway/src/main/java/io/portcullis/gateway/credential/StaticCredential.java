package io.portcullis.gateway.credential;

import io.portcullis.core.config.CredentialSpec;
import io.portcullis.core.secret.SecretResolver;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A static key: header API key, bearer token, HTTP Basic or query parameter. The attachment is built once per
 * secret version and handed to every request as the same completed future (no per-request work).
 */
public final class StaticCredential implements ApiCredential {
    private final String api;
    private final CredentialSpec spec;
    private final StripRules strip;
    private volatile CompletableFuture<Attachment> ready;

    StaticCredential(String api, CredentialSpec spec, SecretResolver resolver) {
        this.api = api;
        this.spec = spec;
        var headers = new ArrayList<>(spec.common().stripHeaders());
        var query = new ArrayList<>(spec.common().stripQuery());
        if (spec instanceof CredentialSpec.HeaderKey h) headers.add(h.header());
        if (spec instanceof CredentialSpec.QueryParam q) query.add(q.param());
        this.strip = StripRules.of(headers, query, spec.common().keepAppCredentials());
        reload(resolver);
    }

    /** Re-resolves the secret (after a rotation); the next request uses the new value. */
    void reload(SecretResolver r) {
        Attachment a = switch (spec) {
            case CredentialSpec.HeaderKey h -> header("header", h.header(), r.resolve(h.value()).utf8());
            case CredentialSpec.Bearer b -> header("bearer", "Authorization", "Bearer " + r.resolve(b.token()).utf8());
            case CredentialSpec.Basic b -> header("basic", "Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (b.username() + ":" + r.resolve(b.password()).utf8()).getBytes(StandardCharsets.UTF_8)));
            case CredentialSpec.QueryParam q -> new Attachment("query", new String[0], new String[0],
                    URLEncoder.encode(q.param(), StandardCharsets.UTF_8),
                    URLEncoder.encode(r.resolve(q.value()).utf8(), StandardCharsets.UTF_8), true, null, null);
            case CredentialSpec.ClientCredentials c -> throw new IllegalArgumentException("not a static credential");
        };
        ready = CompletableFuture.completedFuture(a);
    }

    private static Attachment header(String scheme, String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) throw new IllegalArgumentException("the secret for header " + name + " contains a line break or NUL");
        }
        return new Attachment(scheme, new String[] {name}, new String[] {value}, null, null, false, null, null);
    }

    @Override
    public String api() {
        return api;
    }

    @Override
    public String scheme() {
        return switch (spec) {
            case CredentialSpec.HeaderKey h -> "header";
            case CredentialSpec.Bearer b -> "bearer";
            case CredentialSpec.Basic b -> "basic";
            case CredentialSpec.QueryParam q -> "query";
            case CredentialSpec.ClientCredentials c -> "oauth2";
        };
    }

    @Override
    public boolean weak() {
        return spec instanceof CredentialSpec.QueryParam;
    }

    @Override
    public StripRules strip() {
        return strip;
    }

    @Override
    public CompletableFuture<Attachment> attach(RequestTarget target) {
        return ready;
    }

    @Override
    public ResponseVerdict onResponse(Attachment used, int status, String wwwAuthenticate, String dpopNonce) {
        return ResponseVerdict.DELIVER; // a static key cannot be refreshed; a 401 goes to the app as is
    }

    @Override
    public Optional<ClientTlsIdentity> clientTls() {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "StaticCredential[" + api + ", " + scheme() + "]";
    }
}

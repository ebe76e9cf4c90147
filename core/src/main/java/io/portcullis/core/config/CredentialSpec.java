package io.portcullis.core.config;

import io.portcullis.core.secret.SecretRef;
import io.portcullis.core.secret.SecretResolutionException;
import io.portcullis.core.secret.SecretResolver;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the gateway authenticates to one vendor API: the {@code credential:} section of an API.
 *
 * <pre>{@code
 * credential:
 *   kind: header                  # header | bearer | basic | query | oauth2-client-credentials
 *   header: X-Api-Key             # header: the header to set
 *   value: store:acme/api-key     # header, query: the secret (env:NAME, file:PATH or store:name/key)
 *   # bearer:  token: env:ACME_TOKEN
 *   # basic:   username: acme-svc      password: store:acme/password
 *   # query:   param: api_key   value: store:acme/key   allowWeakQueryCredential: true
 *   maxAge: 90d                   # optional: emit an event (daily) once the secret is older
 *   keepAppCredentials: false     # default false: strip Authorization/key headers/params the app sent
 *   strip: {headers: [X-Other-Key], query: [token]}   # more app credentials to remove
 *
 * credential:
 *   kind: oauth2-client-credentials
 *   tokenUrl: https://auth.vendor.example/oauth2/token
 *   clientId: portcullis-prod
 *   auth: client-secret-basic     # client-secret-basic | client-secret-post | private-key-jwt | tls-client-auth
 *   clientSecret: store:vendor/client-secret   # client-secret-*
 *   privateKey: store:vendor/jwt-key           # private-key-jwt: PEM (PKCS#8) or JWK JSON
 *   keyId: k1                     # private-key-jwt: optional JWS kid
 *   algorithm: RS256              # private-key-jwt: RS256 | PS256 | ES256 (default from the key type)
 *   issuer: https://auth.vendor.example        # private-key-jwt: the assertion's aud (RFC 7523bis)
 *   assertionAudience: https://...             # optional override of aud for older servers
 *   scopes: [payments.read]
 *   audience: https://api.vendor.example       # optional 'audience' parameter
 *   resource: https://api.vendor.example       # optional RFC 8707 'resource' parameter
 *   dpop: true                    # RFC 9449 proof of possession
 *   mtls: {certificate: file:/etc/portcullis/vendor.crt, privateKey: store:vendor/tls-key}   # RFC 8705
 *   renewBefore: 60s              # renew this long before expiry (default 60s)
 *   allowInsecureHttp: false      # an http:// tokenUrl is refused unless this is true (local tests only)
 *   maxAge: 90d
 * }</pre>
 *
 * Secrets are always references: a literal secret is rejected without being echoed.
 */
public sealed interface CredentialSpec {
    Common common();

    /** Options shared by every kind; {@code line}/{@code column} locate the section for later problems. */
    record Common(Duration maxAge, boolean keepAppCredentials, List<String> stripHeaders, List<String> stripQuery,
                  int line, int column) {
    }

    record HeaderKey(String header, SecretRef value, Common common) implements CredentialSpec {
    }

    record Bearer(SecretRef token, Common common) implements CredentialSpec {
    }

    record Basic(String username, SecretRef password, Common common) implements CredentialSpec {
    }

    /** Weak (the key lands in vendor access logs and URLs): only with {@code allowWeakQueryCredential: true}. */
    record QueryParam(String param, SecretRef value, Common common) implements CredentialSpec {
    }

    enum ClientAuth { CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, PRIVATE_KEY_JWT, TLS_CLIENT_AUTH }

    enum Kind { HEADER, BEARER, BASIC, QUERY, OAUTH2_CLIENT_CREDENTIALS }

    /** Client certificate and key for RFC 8705 mTLS (PEM). */
    record MutualTls(SecretRef certificate, SecretRef privateKey) {
    }

    record ClientCredentials(URI tokenUrl, String clientId, ClientAuth auth, SecretRef clientSecret,
                             SecretRef privateKey, String keyId, String algorithm, String issuer,
                             String assertionAudience, List<String> scopes, String audience, String resource,
                             boolean dpop, MutualTls mtls, Duration renewBefore, Common common)
            implements CredentialSpec {
        /** The {@code aud} of a private_key_jwt assertion: the override, else the issuer identifier. */
        public String effectiveAssertionAudience() {
            return assertionAudience != null ? assertionAudience : issuer;
        }
    }

    /** Every secret reference in this section (for load-time resolution and age tracking). */
    default List<SecretRef> secretRefs() {
        var out = new ArrayList<SecretRef>();
        switch (this) {
            case HeaderKey h -> out.add(h.value());
            case Bearer b -> out.add(b.token());
            case Basic b -> out.add(b.password());
            case QueryParam q -> out.add(q.value());
            case ClientCredentials c -> {
                if (c.clientSecret() != null) out.add(c.clientSecret());
                if (c.privateKey() != null) out.add(c.privateKey());
                if (c.mtls() != null) {
                    out.add(c.mtls().certificate());
                    out.add(c.mtls().privateKey());
                }
            }
        }
        return out;
    }

    /**
     * Resolves every reference now and reports each failure as a problem at this section, naming the
     * reference (never the value): a missing or undecryptable secret fails the load, not the first request.
     */
    default void checkSecrets(SecretResolver resolver, ConfigProblems problems) {
        for (SecretRef r : secretRefs()) {
            try {
                resolver.resolve(r);
            } catch (SecretResolutionException e) {
                problems.add(common().line(), common().column(), e.getMessage(),
                        "create the secret, or point the reference at an existing one");
            }
        }
    }

    Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    Pattern PARAM_NAME = Pattern.compile("[A-Za-z0-9._~-]{1,128}");
    Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

    /** Reads the section strictly: unknown keys, wrong kinds and inline secrets are problems with fixes. */
    static CredentialSpec read(ConfigNode.Mapping m) {
        Kind kind = m.require("kind", "add 'kind:' (header, bearer, basic, query or oauth2-client-credentials)")
                .map(n -> n.asEnum(Kind.class)).orElse(null);
        Duration maxAge = m.opt("maxAge", ConfigNode::asDuration, null);
        boolean keep = m.opt("keepAppCredentials", ConfigNode::asBool, false);
        var strip = m.mapping("strip");
        List<String> stripHeaders = names(strip, "headers", HEADER_NAME, "a header name such as X-Api-Key");
        List<String> stripQuery = names(strip, "query", PARAM_NAME, "a query parameter name such as api_key");
        strip.done();
        var common = new Common(maxAge, keep, stripHeaders, stripQuery, m.line(), m.column());
        CredentialSpec spec = null;
        if (kind != null) {
            spec = switch (kind) {
                case HEADER -> new HeaderKey(name(m, "header", HEADER_NAME, "add 'header: X-Api-Key' (the header the vendor expects)"),
                        ref(m, "value", true), common);
                case BEARER -> new Bearer(ref(m, "token", true), common);
                case BASIC -> new Basic(m.string("username", "add 'username:' (the vendor account name)"),
                        ref(m, "password", true), common);
                case QUERY -> {
                    boolean allowed = m.opt("allowWeakQueryCredential", ConfigNode::asBool, false);
                    if (!allowed) m.keyNode("kind").error("a credential in the query string is weak (it lands in URLs and vendor access logs)",
                            "prefer kind: header if the vendor accepts it; otherwise add 'allowWeakQueryCredential: true'");
                    yield new QueryParam(name(m, "param", PARAM_NAME, "add 'param: api_key' (the query parameter the vendor expects)"),
                            ref(m, "value", true), common);
                }
                case OAUTH2_CLIENT_CREDENTIALS -> readClientCredentials(m, common);
            };
        }
        m.done("kind");
        return spec;
    }

    private static ClientCredentials readClientCredentials(ConfigNode.Mapping m, Common common) {
        URI tokenUrl = url(m, "tokenUrl", true);
        boolean insecure = m.opt("allowInsecureHttp", ConfigNode::asBool, false);
        if (tokenUrl != null && "http".equalsIgnoreCase(tokenUrl.getScheme()) && !insecure) {
            m.get("tokenUrl").ifPresent(n -> n.error("tokenUrl uses plain http: the client secret and the tokens would travel unencrypted",
                    "use an https:// token URL (or add 'allowInsecureHttp: true' for a local test server only)"));
        }
        String clientId = m.string("clientId", "add 'clientId:' (the client identifier the vendor issued)");
        ClientAuth auth = m.opt("auth", n -> n.asEnum(ClientAuth.class), ClientAuth.CLIENT_SECRET_BASIC);
        SecretRef secret = null, key = null;
        String keyId = null, alg = null, issuer = null, aud = null;
        switch (auth) {
            case CLIENT_SECRET_BASIC, CLIENT_SECRET_POST -> secret = ref(m, "clientSecret", true);
            case PRIVATE_KEY_JWT -> {
                key = ref(m, "privateKey", true);
                keyId = m.string("keyId", "", null);
                alg = m.get("algorithm").map(n -> {
                    String a = n.asString();
                    if (a != null && !ALGORITHMS.contains(a.toUpperCase(Locale.ROOT))) {
                        n.error("unsupported signing algorithm", "write one of RS256, PS256, ES256 (or the 384/512 variants)");
                        return null;
                    }
                    return a == null ? null : a.toUpperCase(Locale.ROOT);
                }).orElse(null);
                URI iss = url(m, "issuer", false);
                URI au = url(m, "assertionAudience", false);
                issuer = iss == null ? null : iss.toString();
                aud = au == null ? null : au.toString();
                if (issuer == null && aud == null) m.error("private-key-jwt needs the assertion audience",
                        "add 'issuer:' (the authorization server's issuer identifier), or 'assertionAudience:' for servers that expect the token URL");
            }
            case TLS_CLIENT_AUTH -> {
                if (!m.has("mtls")) m.error("auth: tls-client-auth needs a client certificate", "add 'mtls: {certificate: file:..., privateKey: store:...}'");
            }
        }
        for (String k : List.of("clientSecret", "privateKey", "keyId", "algorithm", "issuer", "assertionAudience")) {
            if (m.keys().contains(k) && !readFor(auth).contains(k)) {
                m.keyNode(k).error("'" + k + "' is not used with auth: " + auth.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                        "remove it, or change 'auth:'");
                m.get(k);
            }
        }
        List<String> scopes = m.strings("scopes");
        for (String s : scopes) {
            if (s.isEmpty() || s.chars().anyMatch(c -> c <= 0x20 || c == '"' || c == '\\' || c > 0x7e)) {
                m.keyNode("scopes").error("a scope may not contain spaces, quotes or backslashes (RFC 6749 §3.3)", "list each scope as its own item");
            }
        }
        String audience = m.string("audience", "", null);
        URI resource = url(m, "resource", false);
        boolean dpop = m.opt("dpop", ConfigNode::asBool, false);
        MutualTls mtls = null;
        if (m.has("mtls")) {
            var t = m.mapping("mtls");
            mtls = new MutualTls(ref(t, "certificate", true), ref(t, "privateKey", true));
            t.done();
        }
        Duration renew = m.opt("renewBefore", ConfigNode::asDuration, Duration.ofSeconds(60));
        return new ClientCredentials(tokenUrl, clientId, auth, secret, key, keyId, alg, issuer, aud, List.copyOf(scopes),
                audience, resource == null ? null : resource.toString(), dpop, mtls, renew, common);
    }

    private static Set<String> readFor(ClientAuth auth) {
        return switch (auth) {
            case CLIENT_SECRET_BASIC, CLIENT_SECRET_POST -> Set.of("clientSecret");
            case PRIVATE_KEY_JWT -> Set.of("privateKey", "keyId", "algorithm", "issuer", "assertionAudience");
            case TLS_CLIENT_AUTH -> Set.of();
        };
    }

    private static SecretRef ref(ConfigNode.Mapping m, String key, boolean required) {
        var node = required ? m.require(key, "add '" + key + ": store:name/key' (or env:NAME, file:PATH)") : m.get(key);
        if (node.isEmpty()) return null;
        var n = node.get();
        if (!n.isScalar()) {
            n.error("'" + key + "' must be a secret reference", "write env:NAME, file:PATH or store:name/key");
            return null;
        }
        String text = n.asString();
        var err = new StringBuilder();
        var r = SecretRef.parse(text, err);
        if (r.isEmpty()) n.error("'" + key + "': " + err, "put the value in the store ('portcullis secrets put name/key' reads it from stdin) and write store:name/key");
        return r.orElse(null);
    }

    private static String name(ConfigNode.Mapping m, String key, Pattern p, String fix) {
        var n = m.require(key, fix);
        if (n.isEmpty()) return null;
        String s = n.get().asString();
        if (s != null && !p.matcher(s).matches()) {
            n.get().error("'" + key + "' is not a valid name", fix);
            return null;
        }
        return s;
    }

    private static List<String> names(ConfigNode.Mapping m, String key, Pattern p, String what) {
        var out = new ArrayList<String>();
        for (ConfigNode n : m.list(key)) {
            String s = n.asString();
            if (s == null) continue;
            if (!p.matcher(s).matches()) n.error("not a valid name", "write " + what);
            else out.add(s);
        }
        return List.copyOf(out);
    }

    private static URI url(ConfigNode.Mapping m, String key, boolean required) {
        var node = required ? m.require(key, "add '" + key + ": https://...'") : m.get(key);
        if (node.isEmpty()) return null;
        String s = node.get().asString();
        if (s == null) return null;
        try {
            URI u = new URI(s);
            if (!"https".equalsIgnoreCase(u.getScheme()) && !"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                node.get().error("'" + key + "' must be an absolute http(s) URL", "write https://host/path");
                return null;
            }
            if (u.getRawUserInfo() != null || u.getRawFragment() != null) {
                node.get().error("'" + key + "' may not contain user info or a fragment", "write https://host/path");
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            node.get().error("'" + key + "' is not a valid URL", "write https://host/path");
            return null;
        }
    }
}

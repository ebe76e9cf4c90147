package io.portcullis.gateway.credential;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProtectedResourceRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InMemoryDPoPSingleUseChecker;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A vendor API for tests, over a real socket (JDK HttpServer). Checks the credential of every request:
 * a header value accepted by {@link #acceptHeader}, a bearer token issued by the {@link AuthServer} and not
 * revoked, or a DPoP-bound token whose proof passes Nimbus's {@link DPoPProtectedResourceRequestVerifier}
 * (htm, htu, iat, jti single use, ath, cnf.jkt, nonce). Records what arrived.
 */
final class ResourceServer implements AutoCloseable {
    record Seen(String method, String path, String query, Map<String, String> headers) {
    }

    private final HttpServer http;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    final Set<String> revoked = ConcurrentHashMap.newKeySet();
    volatile AuthServer auth;             // bearer/DPoP tokens from here
    volatile String headerName = "Authorization";
    volatile Predicate<String> acceptHeader; // static credentials
    volatile boolean rejectAllTokens;
    volatile String dpopNonce;            // when set, DPoP proofs must carry it
    private final DPoPProtectedResourceRequestVerifier verifier = new DPoPProtectedResourceRequestVerifier(
            Set.of(JWSAlgorithm.ES256, JWSAlgorithm.PS256), 30, 60, new InMemoryDPoPSingleUseChecker(60, 60));

    ResourceServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", this::handle);
        http.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/v1");
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        ex.getRequestBody().readAllBytes();
        Map<String, String> h = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(), String.join(",", v)));
        URI u = ex.getRequestURI();
        seen.add(new Seen(ex.getRequestMethod(), u.getRawPath(), u.getRawQuery(), h));
        String authz = h.get("authorization");
        if (acceptHeader != null) {
            String v = h.get(headerName.toLowerCase());
            if (headerName.equals("query")) v = u.getRawQuery();
            if (v == null || !acceptHeader.test(v)) {
                respond(ex, 401, "WWW-Authenticate", "Bearer error=\"invalid_token\"", "bad key");
                return;
            }
            respond(ex, 200, null, null, "ok");
            return;
        }
        if (authz != null && authz.startsWith("Bearer ")) {
            String t = authz.substring(7);
            if (rejectAllTokens || revoked.contains(t) || !auth.issuedTokens.contains(t) || auth.jktByToken.containsKey(t)) {
                respond(ex, 401, "WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"token rejected\"", "no");
                return;
            }
            respond(ex, 200, null, null, "ok " + u.getRawPath());
            return;
        }
        if (authz != null && authz.startsWith("DPoP ")) {
            String t = authz.substring(5);
            String jkt = auth.jktByToken.get(t);
            if (jkt == null || revoked.contains(t)) {
                respond(ex, 401, "WWW-Authenticate", "DPoP error=\"invalid_token\"", "no");
                return;
            }
            String n = dpopNonce;
            try {
                URI htu = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + u.getRawPath());
                verifier.verify(ex.getRequestMethod(), htu, new DPoPIssuer("portcullis"), SignedJWT.parse(h.get("dpop")),
                        new DPoPAccessToken(t), new JWKThumbprintConfirmation(new Base64URL(jkt)), n == null ? null : new Nonce(n));
            } catch (Exception e) {
                if (n != null && String.valueOf(e.getMessage()).toLowerCase().contains("nonce")) {
                    ex.getResponseHeaders().add("DPoP-Nonce", n);
                    respond(ex, 401, "WWW-Authenticate", "DPoP error=\"use_dpop_nonce\", error_description=\"Resource server requires nonce in DPoP proof\"", "nonce");
                    return;
                }
                respond(ex, 401, "WWW-Authenticate", "DPoP error=\"invalid_dpop_proof\"", "bad proof: " + e.getMessage());
                return;
            }
            respond(ex, 200, null, null, "ok dpop");
            return;
        }
        respond(ex, 401, "WWW-Authenticate", "Bearer", "no credential");
    }

    private static void respond(HttpExchange ex, int status, String hn, String hv, String body) throws IOException {
        if (hn != null) ex.getResponseHeaders().add(hn, hv);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}

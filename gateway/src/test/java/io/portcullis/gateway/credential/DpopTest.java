package io.portcullis.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProtectedResourceRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPTokenRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InMemoryDPoPSingleUseChecker;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InvalidDPoPProofException;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import io.portcullis.core.secret.MasterKey;
import io.portcullis.core.secret.SecretResolver;
import io.portcullis.core.secret.SecretStore;
import io.portcullis.gateway.policy.CredentialPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 9449 DPoP: proofs verified by Nimbus's verifiers in a real token endpoint and a real resource server. */
class DpopTest {
    @TempDir
    Path dir;
    AuthServer auth;
    ResourceServer api;
    SecretStore store;
    CredentialBroker broker;

    @BeforeEach
    void start() throws Exception {
        auth = new AuthServer();
        auth.clientSecret = "dpop-client-secret-0123456789";
        auth.dpop = true;
        api = new ResourceServer();
        api.auth = auth;
        store = MasterKeyHolder.store(dir.resolve("secrets.pcs"));
        broker = new CredentialBroker(new SecretResolver(Map.of("S", "dpop-client-secret-0123456789"), store));
    }

    @AfterEach
    void stop() {
        broker.close();
        api.close();
        auth.close();
    }

    private CredentialPolicy policy() {
        var spec = Specs.read("""
                credential:
                  kind: oauth2-client-credentials
                  tokenUrl: %s
                  allowInsecureHttp: true
                  clientId: portcullis
                  clientSecret: env:S
                  dpop: true
                """.formatted(auth.tokenUrl()));
        return new CredentialPolicy(broker.register("vendor/payments", spec), api.base());
    }

    @Test
    void tokenAndResourceRequestsCarryVerifiedProofsAndFollowTheNonceFlowAtBothServers() throws Exception {
        auth.dpopNonce = "as-nonce-eyJ7S_9D2wFw";
        api.dpopNonce = "rs-nonce-Q2x1ZWxlc3M";
        var p = policy();
        var d = new PolicyDriver(api.base());

        var r = d.send(p, "GET", "/charges", "limit=1#frag", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.attempts()).as("one replay after the resource server's use_dpop_nonce").isEqualTo(2);
        assertThat(auth.tokenRequests.get()).as("one retry after the token endpoint's use_dpop_nonce").isEqualTo(2);
        assertThat(auth.issued.get()).isEqualTo(1);
        assertThat(r.exchange().response().headers().contains("DPoP-Nonce")).as("nonce not passed to the app").isFalse();
        assertThat(r.exchange().authScheme()).isEqualTo("dpop");

        var seen = api.seen.get(1);
        assertThat(seen.headers().get("authorization")).startsWith("DPoP ");
        var proof = SignedJWT.parse(seen.headers().get("dpop"));
        assertThat(proof.getHeader().getType().getType()).isEqualTo("dpop+jwt");
        var c = proof.getJWTClaimsSet();
        assertThat(c.getStringClaim("htm")).isEqualTo("GET");
        assertThat(c.getStringClaim("htu")).isEqualTo(api.base() + "/charges").doesNotContain("?").doesNotContain("#");
        assertThat(c.getStringClaim("nonce")).isEqualTo("rs-nonce-Q2x1ZWxlc3M");
        assertThat(c.getStringClaim("ath")).isNotBlank();
        assertThat(c.getIssueTime()).isNotNull();

        // nonces are remembered per server: the next request needs no replay, and every proof has its own jti
        assertThat(d.get(p, "/refunds").attempts()).isEqualTo(1);
        assertThat(d.send(p, "POST", "/refunds", null, Map.of()).status()).isEqualTo(200);
        var jtis = new HashSet<String>();
        for (var s : api.seen) jtis.add(SignedJWT.parse(s.headers().get("dpop")).getJWTClaimsSet().getJWTID());
        for (var rec : auth.recorded) jtis.add(SignedJWT.parse(rec.headers().get("dpop")).getJWTClaimsSet().getJWTID());
        assertThat(jtis).hasSize(api.seen.size() + auth.recorded.size());
    }

    @Test
    void theKeyPairIsGeneratedOnceAndKeptInTheStore() {
        var first = DpopProver.forApi(store, "vendor/payments");
        assertThat(store.read().get("dpop/vendor.payments")).isPresent();
        var again = DpopProver.forApi(new SecretStore(store.file(), MasterKeyHolder.key(store)), "vendor/payments");
        assertThat(again.thumbprint()).isEqualTo(first.thumbprint());
        assertThat(DpopProver.forApi(store, "other/api").thumbprint()).isNotEqualTo(first.thumbprint());
        assertThat(first.toString()).doesNotContain("\"d\"");
    }

    @Test
    void aDpopTokenIsUselessWithoutTheProof() throws Exception {
        var p = policy();
        assertThat(new PolicyDriver(api.base()).get(p, "/a").status()).isEqualTo(200);
        String token = auth.issuedTokens.get(0);
        // an app replaying the token as a bearer token: rejected by the resource server
        var client = java.net.http.HttpClient.newHttpClient();
        var resp = client.send(java.net.http.HttpRequest.newBuilder(URI.create(api.base() + "/a"))
                .header("Authorization", "Bearer " + token).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).isEqualTo(401);
    }

    // RFC 9449 §4.1, Figure 4 ("DPoP Proof JWT" for a token request) — the proof as published in the RFC.
    static final String RFC9449_TOKEN_PROOF = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
            + ".eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ"
            + ".2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";
    // RFC 9449 §7.1, Figure 13 (proof for a protected resource request, with ath) and its access token.
    static final String RFC9449_RESOURCE_PROOF = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
            + ".eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9"
            + ".2oW9RP35yRqzhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA";
    static final String RFC9449_ACCESS_TOKEN = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
    // RFC 9449 §6.1: the JWK SHA-256 thumbprint of the example key, as carried in cnf.jkt.
    static final String RFC9449_JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    private static final long TEN_YEARS = 10L * 366 * 86400; // the examples' iat is from July 2019

    @Test
    void theRfc9449ExampleProofsVerifyWithNimbus() throws Exception {
        var tokenVerifier = new DPoPTokenRequestVerifier(Set.of(JWSAlgorithm.ES256), URI.create("https://server.example.com/token"),
                30, TEN_YEARS, new InMemoryDPoPSingleUseChecker(60, 60));
        var cnf = tokenVerifier.verify(new DPoPIssuer("client"), SignedJWT.parse(RFC9449_TOKEN_PROOF), null);
        assertThat(cnf.getValue().toString()).isEqualTo(RFC9449_JKT);

        var rsVerifier = new DPoPProtectedResourceRequestVerifier(Set.of(JWSAlgorithm.ES256), 30, TEN_YEARS, new InMemoryDPoPSingleUseChecker(60, 60));
        rsVerifier.verify("GET", URI.create("https://resource.example.org/protectedresource"), new DPoPIssuer("client"),
                SignedJWT.parse(RFC9449_RESOURCE_PROOF), new DPoPAccessToken(RFC9449_ACCESS_TOKEN),
                new JWKThumbprintConfirmation(new Base64URL(RFC9449_JKT)), null);
        JWK jwk = SignedJWT.parse(RFC9449_RESOURCE_PROOF).getHeader().getJWK();
        assertThat(jwk.computeThumbprint().toString()).isEqualTo(RFC9449_JKT);

        // and the verifier is not a rubber stamp: wrong method, wrong URI, wrong token are each rejected
        var rs2 = new DPoPProtectedResourceRequestVerifier(Set.of(JWSAlgorithm.ES256), 30, TEN_YEARS, new InMemoryDPoPSingleUseChecker(60, 60));
        assertThatThrownBy(() -> rs2.verify("POST", URI.create("https://resource.example.org/protectedresource"), new DPoPIssuer("c"),
                SignedJWT.parse(RFC9449_RESOURCE_PROOF), new DPoPAccessToken(RFC9449_ACCESS_TOKEN),
                new JWKThumbprintConfirmation(new Base64URL(RFC9449_JKT)), null)).isInstanceOf(InvalidDPoPProofException.class);
        assertThatThrownBy(() -> rs2.verify("GET", URI.create("https://resource.example.org/other"), new DPoPIssuer("c"),
                SignedJWT.parse(RFC9449_RESOURCE_PROOF), new DPoPAccessToken(RFC9449_ACCESS_TOKEN),
                new JWKThumbprintConfirmation(new Base64URL(RFC9449_JKT)), null)).isInstanceOf(InvalidDPoPProofException.class);
        assertThatThrownBy(() -> rs2.verify("GET", URI.create("https://resource.example.org/protectedresource"), new DPoPIssuer("c"),
                SignedJWT.parse(RFC9449_RESOURCE_PROOF), new DPoPAccessToken("another-token"),
                new JWKThumbprintConfirmation(new Base64URL(RFC9449_JKT)), null)).isInstanceOf(Exception.class);
    }
}

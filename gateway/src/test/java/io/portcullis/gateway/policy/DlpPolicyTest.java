package io.portcullis.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.config.ConfigNode;
import io.portcullis.core.config.ConfigProblems;
import io.portcullis.core.config.DataPolicy;
import io.portcullis.core.config.PortcullisConfig;
import io.portcullis.gateway.GatewayEvents;
import io.portcullis.gateway.GatewayRuntime;
import io.portcullis.gateway.listen.GatewayServer;
import io.portcullis.gateway.metrics.GatewayMetrics;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.snapshot.SnapshotCompiler;
import io.portcullis.gateway.testing.TestGateway;
import io.portcullis.gateway.testing.TestPki;
import io.portcullis.gateway.testing.TestVendor;
import io.portcullis.gateway.upstream.UpstreamPool;
import io.portcullis.inspect.dlp.DlpEngine;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DLP in the data plane over real sockets: app → gateway (HTTP/1.1) → vendor (TLS). */
class DlpPolicyTest {
    @TempDir Path dir;
    TestVendor vendor;
    GatewayServer server;
    final List<Exchange> completed = new CopyOnWriteArrayList<>();
    final AtomicReference<byte[]> received = new AtomicReference<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    static final String KEY = "billing-key";

    @BeforeEach
    void start() throws Exception {
        var pki = new TestPki("Test Vendor CA");
        vendor = new TestVendor(pki.issue("CN=localhost", "localhost", "127.0.0.1").serverContext());
        pki.writeCa(dir, "vendor-ca.pem");
        vendor.on("/base/", (ex, body) -> {
            received.set(body);
            TestVendor.respond(ex, 200, "application/json", "{\"ok\":true}");
        });
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        vendor.close();
    }

    void gateway(String dataPolicyYaml) throws Exception {
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(KEY.getBytes()));
        PortcullisConfig cfg = TestGateway.load(dir, """
                listen: {address: 127.0.0.1:0}
                admin: {address: 127.0.0.1:0}
                apps:
                  - name: billing
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
                          - {app: billing}
                        tls:
                          caBundle: vendor-ca.pem
                """.formatted(sha, vendor.port()));
        DataPolicy policy = null;
        if (dataPolicyYaml != null) {
            var problems = new ConfigProblems("policy.yaml");
            policy = "off".equals(dataPolicyYaml) ? null : DataPolicy.read(ConfigNode.parse(dataPolicyYaml, problems));
            assertThat(problems.list()).isEmpty();
        }
        if ("off".equals(dataPolicyYaml)) policy = DataPolicy.OFF;
        DataPolicy p = policy;
        GatewayEvents events = new GatewayEvents() {
            @Override
            public void exchangeCompleted(Exchange x, int status, long in, long out, long dur, String error) {
                completed.add(x);
            }

            @Override
            public void securityEvent(String type, String severity, String vendor, String api, String app, String message, Map<String, String> attrs) {}
        };
        var metrics = new GatewayMetrics();
        var compiler = new SnapshotCompiler(metrics, events, List.of(DlpPolicy.contributor(DlpEngine.builtIn(), api -> p)));
        var runtime = new GatewayRuntime(compiler.compile(cfg), new UpstreamPool(30, 32, 64 * 1024), metrics, events);
        server = new GatewayServer(runtime, cfg.listen(), 2).start();
    }

    HttpResponse<String> post(String path, InputStream body, String contentType) throws Exception {
        var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(30))
                .header("X-Portcullis-Key", KEY).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(); // chunked: no Content-Length
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return post(path, new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), contentType);
    }

    static final String CARD = "4539148803436467";

    /** The completion event may follow the response by a moment; wait for it (generously, never a timing assert). */
    Exchange awaitExchangeWithFindings() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var x = completed.stream().filter(e -> !e.findings().isEmpty()).findFirst();
            if (x.isPresent()) return x.get();
            Thread.sleep(20);
        }
        throw new AssertionError("no completed exchange with findings");
    }

    @Test
    void blockStopsTheExchangeBeforeTheCardReachesTheVendorAndNamesTypeAndPath() throws Exception {
        gateway("""
                action: block
                allow:
                  - class: PCI
                    paths: ["$.card.number"]
                """);
        // The card sits after 100 KB of filler, so it arrives in a later chunk than the first bytes.
        String body = "{\"filler\":\"" + "a".repeat(100_000) + "\",\"note\":\"card " + CARD + "\"}";
        var r = post("/acme/v1/charges", body, "application/json");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("CREDIT_CARD_NUMBER").contains("$.note").doesNotContain(CARD);
        byte[] got = received.get();
        assertThat(got == null ? "" : new String(got, StandardCharsets.UTF_8)).doesNotContain(CARD);
    }

    @Test
    void allowedDataPassesUnchangedAndIsRecorded() throws Exception {
        gateway("""
                action: block
                allow:
                  - class: PCI
                    paths: ["$.card.number"]
                """);
        String body = "{\"card\":{\"number\":\"" + CARD + "\"}}";
        var r = post("/acme/v1/charges", body, "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(received.get(), StandardCharsets.UTF_8)).isEqualTo(body);
        Exchange x = awaitExchangeWithFindings();
        assertThat(x.dataClasses()).containsExactly("PCI");
        assertThat(x.findings()).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo("CREDIT_CARD_NUMBER");
            assertThat(f.path()).isEqualTo("$.card.number");
            assertThat(f.detail()).isEqualTo("4539********6467");
        });
    }

    @Test
    void redactMasksInPlaceAcrossChunksAndTheVendorGetsValidJson() throws Exception {
        gateway("""
                action: redact
                """);
        var sb = new StringBuilder("{\"rows\":[");
        for (int i = 0; i < 2000; i++) sb.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"email\":\"user").append(i).append("@corp-mail.com\"}");
        String body = sb.append("]}").toString();
        var r = post("/acme/v1/import", body, "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        String got = new String(received.get(), StandardCharsets.UTF_8);
        assertThat(got).hasSize(body.length()).doesNotContain("@corp-mail.com");
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(got);
        assertThat(tree.get("rows")).hasSize(2000);
    }

    @Test
    void withoutPolicyEverythingIsAlertedAndForwarded() throws Exception {
        gateway(null);
        var r = post("/acme/v1/x?email=jane%40corp.com", "{\"ssn\":\"536-22-8190\"}", "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        Exchange x = awaitExchangeWithFindings();
        assertThat(x.findings()).extracting(io.portcullis.core.event.FindingRecord::type).containsExactly("EMAIL_ADDRESS", "US_SSN");
        assertThat(x.decisions()).anySatisfy(d -> {
            assertThat(d.policy()).isEqualTo("dlp");
            assertThat(d.outcome()).isEqualTo(io.portcullis.core.event.Decision.Outcome.FLAG);
            assertThat(d.reason()).doesNotContain("536-22").doesNotContain("jane");
        });
    }

    @Test
    void dataPolicyOffForwardsUnexaminedAndRecordsNoDataClasses() throws Exception {
        gateway("off");
        String body = "{\"ssn\":\"536-22-8190\",\"card\":\"" + CARD + "\"}";
        var r = post("/acme/v1/x?email=jane%40corp.com", body, "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(received.get(), StandardCharsets.UTF_8)).isEqualTo(body);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (completed.isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(completed).hasSize(1);
        assertThat(completed.getFirst().findings()).isEmpty();
        assertThat(completed.getFirst().decisions()).noneSatisfy(d -> assertThat(d.policy()).isEqualTo("dlp"));
    }
}

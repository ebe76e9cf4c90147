package io.portcullis.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.config.ConfigLoader;
import io.portcullis.core.secret.MasterKey;
import io.portcullis.core.secret.SecretResolver;
import io.portcullis.core.secret.SecretStore;
import io.portcullis.gateway.GatewayEvents;
import io.portcullis.gateway.GatewayRuntime;
import io.portcullis.gateway.listen.GatewayServer;
import io.portcullis.gateway.metrics.GatewayMetrics;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.policy.CredentialPolicy;
import io.portcullis.gateway.snapshot.SnapshotCompiler;
import io.portcullis.gateway.upstream.UpstreamPool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credential policy in the real Netty gateway: app → gateway → (token endpoint) → vendor, over sockets. */
class CredentialGatewayTest {
    static final String APP_KEY = "pk_app_billing_0a1b2c3d4e5f";
    static final String CLIENT_SECRET = "gw-client-secret-f0e1d2c3b4a5";

    @TempDir
    Path dir;
    AuthServer auth;
    ResourceServer vendor;
    CredentialBroker broker;
    GatewayServer server;
    final List<Exchange> completed = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws Exception {
        auth = new AuthServer();
        auth.clientSecret = CLIENT_SECRET;
        vendor = new ResourceServer();
        vendor.auth = auth;
        var store = new SecretStore(dir.resolve("secrets.pcs"), MasterKey.generate());
        broker = new CredentialBroker(new SecretResolver(Map.of("VENDOR_SECRET", CLIENT_SECRET), store));
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        broker.close();
        vendor.close();
        auth.close();
    }

    private void gateway(String credentialYaml) throws Exception {
        broker.register("acme/core", Specs.read(credentialYaml));
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(APP_KEY.getBytes()));
        Path f = dir.resolve("portcullis.yaml");
        Files.writeString(f, """
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
                        upstream: %s
                        allowInsecureHttp: true
                        allow:
                          - {app: billing}
                """.formatted(sha, vendor.base()));
        var cfg = ConfigLoader.load(f);
        var metrics = new GatewayMetrics();
        GatewayEvents events = new GatewayEvents() {
            @Override
            public void exchangeCompleted(Exchange x, int status, long in, long out, long dur, String error) {
                completed.add(x);
            }

            @Override
            public void securityEvent(String type, String severity, String vendor, String api, String app, String message, Map<String, String> attrs) {
            }
        };
        var compiler = new SnapshotCompiler(metrics, events, List.of(CredentialPolicy.contributor(broker)));
        var runtime = new GatewayRuntime(compiler.compile(cfg), new UpstreamPool(30, 32, 64 * 1024), metrics, events);
        server = new GatewayServer(runtime, cfg.listen(), 2).start();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(60)).GET();
        b.header("X-Portcullis-Key", APP_KEY);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theGatewayFetchesATokenAttachesItAndStripsTheAppsOwnCredentials() throws Exception {
        gateway("""
                credential:
                  kind: oauth2-client-credentials
                  tokenUrl: %s
                  allowInsecureHttp: true
                  clientId: portcullis
                  clientSecret: env:VENDOR_SECRET
                  strip: {query: [api_key]}
                """.formatted(auth.tokenUrl()));
        var r = get("/acme/charges?limit=2&api_key=app-own", "Authorization", "Bearer app-own-token");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var seen = vendor.seen.get(0);
        assertThat(seen.path()).isEqualTo("/v1/charges");
        assertThat(seen.query()).isEqualTo("limit=2");
        assertThat(seen.headers().get("authorization")).isEqualTo("Bearer " + auth.issuedTokens.get(0));
        assertThat(seen.headers()).doesNotContainKey("x-portcullis-key");
        // the exchange-completed event is emitted after the last byte went to the app: wait for it
        for (int i = 0; i < 600 && completed.stream().noneMatch(x -> "oauth2".equals(x.authScheme())); i++) Thread.sleep(50);
        assertThat(completed).as(() -> completed.stream().map(x -> x.authScheme() + " " + x.decisions()).toList().toString())
                .anySatisfy(x -> assertThat(x.authScheme()).isEqualTo("oauth2"));
    }

    @Test
    void manyConcurrentRequestsThroughTheGatewayShareOneTokenFetch() throws Exception {
        auth.delayMs = 300;
        gateway("credential: {kind: oauth2-client-credentials, tokenUrl: '%s', allowInsecureHttp: true, clientId: portcullis, clientSecret: env:VENDOR_SECRET}"
                .formatted(auth.tokenUrl()));
        var futures = new ArrayList<CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 50; i++) {
            futures.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/acme/x/" + i))
                    .header("X-Portcullis-Key", APP_KEY).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (var f : futures) assertThat(f.get().statusCode()).isEqualTo(200);
        assertThat(auth.tokenRequests.get()).isEqualTo(1);
    }

    @Test
    void tokenEndpointDownIsA503ProblemWithRetryAfterAndNoSecret() throws Exception {
        auth.down = true;
        gateway("credential: {kind: oauth2-client-credentials, tokenUrl: '%s', allowInsecureHttp: true, clientId: portcullis, clientSecret: env:VENDOR_SECRET}"
                .formatted(auth.tokenUrl()));
        var r = get("/acme/charges");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(r.body()).contains("credential-unavailable").doesNotContain(CLIENT_SECRET);
        for (int i = 0; i < 10; i++) assertThat(get("/acme/charges").statusCode()).isEqualTo(503);
        assertThat(auth.tokenRequests.get()).isEqualTo(1);
        assertThat(vendor.requests.get()).isZero();
    }

    @Test
    void dpopBoundTokensWorkThroughTheGateway() throws Exception {
        auth.dpop = true;
        auth.dpopNonce = "gw-as-nonce-1";
        gateway("credential: {kind: oauth2-client-credentials, tokenUrl: '%s', allowInsecureHttp: true, clientId: portcullis, clientSecret: env:VENDOR_SECRET, dpop: true}"
                .formatted(auth.tokenUrl()));
        var r = get("/acme/payments?x=1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok dpop");
        assertThat(get("/acme/payments").statusCode()).isEqualTo(200);
        assertThat(auth.issued.get()).isEqualTo(1);
    }

    @Test
    void aRevokedTokenIsReplacedAndTheRequestReplayedOnceWithItsBody() throws Exception {
        gateway("credential: {kind: oauth2-client-credentials, tokenUrl: '%s', allowInsecureHttp: true, clientId: portcullis, clientSecret: env:VENDOR_SECRET}"
                .formatted(auth.tokenUrl()));
        assertThat(get("/acme/warm").statusCode()).isEqualTo(200);
        vendor.revoked.add(auth.issuedTokens.get(0)); // the vendor stops accepting the cached token
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/acme/charges"))
                .header("X-Portcullis-Key", APP_KEY).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("amount=2000&currency=eur")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(auth.tokenRequests.get()).isEqualTo(2);
        var replay = vendor.seen.get(vendor.seen.size() - 1);
        assertThat(replay.headers().get("authorization")).isEqualTo("Bearer " + auth.issuedTokens.get(1));
        assertThat(vendor.seen.stream().filter(x -> x.path().equals("/v1/charges")).count()).isEqualTo(2);
    }

    @Test
    void aVendorThatRejectsEveryTokenGetsOneReplayThenTheAppSeesThe401() throws Exception {
        gateway("credential: {kind: oauth2-client-credentials, tokenUrl: '%s', allowInsecureHttp: true, clientId: portcullis, clientSecret: env:VENDOR_SECRET}"
                .formatted(auth.tokenUrl()));
        vendor.rejectAllTokens = true;
        var r = get("/acme/charges");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(vendor.requests.get()).isEqualTo(2); // the original and exactly one replay
    }
}

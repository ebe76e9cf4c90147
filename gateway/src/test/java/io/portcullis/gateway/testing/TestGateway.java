package io.portcullis.gateway.testing;

import io.portcullis.core.config.ConfigLoader;
import io.portcullis.core.config.PortcullisConfig;
import io.portcullis.gateway.GatewayEvents;
import io.portcullis.gateway.GatewayRuntime;
import io.portcullis.gateway.listen.GatewayServer;
import io.portcullis.gateway.metrics.GatewayMetrics;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.snapshot.SnapshotCompiler;
import io.portcullis.gateway.upstream.UpstreamPool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real gateway on an ephemeral loopback port, built from YAML the way {@code serve} builds it. */
public final class TestGateway implements AutoCloseable {
    /** What the gateway reported, for assertions. */
    public record Completed(Exchange exchange, int status, long bytesIn, long bytesOut, String error) {}

    public record Security(String type, String vendor, String api, String message, Map<String, String> attributes) {}

    public final List<Completed> exchanges = new CopyOnWriteArrayList<>();
    public final List<Security> security = new CopyOnWriteArrayList<>();
    public final GatewayMetrics metrics = new GatewayMetrics();
    public final SnapshotCompiler compiler;
    public final GatewayRuntime runtime;
    public final GatewayServer server;
    public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    public TestGateway(Path dir, String yaml) throws Exception {
        this(load(dir, yaml));
    }

    public TestGateway(PortcullisConfig cfg) throws Exception {
        this(cfg, events -> List.of());
    }

    /** With the policy contributors {@code contributors} builds from the gateway's events (as {@code GatewayAssembly} does). */
    public TestGateway(PortcullisConfig cfg, java.util.function.Function<GatewayEvents, List<SnapshotCompiler.PolicyContributor>> contributors) throws Exception {
        GatewayEvents events = new GatewayEvents() {
            @Override
            public void exchangeCompleted(Exchange x, int status, long in, long out, long dur, String error) {
                exchanges.add(new Completed(x, status, in, out, error));
            }

            @Override
            public void securityEvent(String type, String severity, String vendor, String api, String app, String message, Map<String, String> attrs) {
                security.add(new Security(type, vendor, api, message, attrs));
            }
        };
        compiler = new SnapshotCompiler(metrics, events, contributors.apply(events));
        runtime = new GatewayRuntime(compiler.compile(cfg), new UpstreamPool(30, 32, 64 * 1024), metrics, events);
        server = new GatewayServer(runtime, cfg.listen(), 2).start();
    }

    /** Waits (generously) until at least {@code n} exchanges were reported; events are emitted just after the response is written. */
    public List<Completed> awaitExchanges(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (exchanges.size() < n && System.nanoTime() < deadline) Thread.sleep(5);
        return exchanges;
    }

    /**
     * The configuration most tests need: app {@code billing} with API key {@code k1}, and vendor {@code acme}
     * whose API {@code core} is routed at {@code /acme} to {@code upstream}; {@code apiExtra} adds keys to the
     * API (indented by 8 spaces), {@code listenExtra} to the listener mapping.
     */
    public static String oneApi(String upstream, String apiExtra, String listenExtra) throws Exception {
        return """
                listen: {address: 127.0.0.1:0%s}
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
                        upstream: %s
                        allow: [billing]
                %s
                """.formatted(listenExtra, keyDigest("k1"), upstream, apiExtra);
    }

    /** As {@link #oneApi(String, String, String)}, for a plain-http upstream on loopback. */
    public static String oneLoopbackApi(int port, String apiExtra) throws Exception {
        return oneApi("http://127.0.0.1:" + port, "        allowInsecureHttp: true\n" + apiExtra, "");
    }

    /** The lower-case hex SHA-256 of an app API key, as written after {@code sha256:} in the config. */
    public static String keyDigest(String key) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public static PortcullisConfig load(Path dir, String yaml) throws Exception {
        Path f = dir.resolve("portcullis.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public HttpResponse<String> get(String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
    }
}

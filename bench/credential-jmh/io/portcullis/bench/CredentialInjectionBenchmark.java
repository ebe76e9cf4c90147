package io.portcullis.bench;

import com.sun.net.httpserver.HttpServer;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.core.config.ConfigNode;
import io.portcullis.core.config.ConfigProblems;
import io.portcullis.core.config.CredentialSpec;
import io.portcullis.core.secret.MasterKey;
import io.portcullis.core.secret.SecretResolver;
import io.portcullis.core.secret.SecretStore;
import io.portcullis.gateway.credential.ApiCredential;
import io.portcullis.gateway.credential.Attachment;
import io.portcullis.gateway.credential.CredentialBroker;
import io.portcullis.gateway.credential.RequestTarget;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.HeadVerdict;
import io.portcullis.gateway.policy.CredentialPolicy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The credential-injection hot path with a cached token: what every proxied request pays.
 * Run with {@code -prof gc} to see bytes allocated per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CredentialInjectionBenchmark {
    HttpServer tokenServer;
    CredentialBroker broker;
    ApiCredential bearer;
    ApiCredential dpop;
    ApiCredential header;
    CredentialPolicy bearerPolicy;
    final RequestTarget target = new RequestTarget("GET", "https", "api.vendor.example", "/v1/charges");

    @Setup
    public void setup() throws Exception {
        tokenServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        tokenServer.createContext("/token", ex -> {
            ex.getRequestBody().readAllBytes();
            boolean dp = ex.getRequestHeaders().containsKey("DPoP");
            byte[] b = ("{\"access_token\":\"" + UUID.randomUUID() + "\",\"token_type\":\"" + (dp ? "DPoP" : "Bearer") + "\",\"expires_in\":86400}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        tokenServer.start();
        var dir = Files.createTempDirectory("bench");
        var store = new SecretStore(dir.resolve("s.pcs"), MasterKey.generate());
        store.put("acme/key", io.portcullis.core.secret.SecretValue.ofUtf8("ak_live_0123456789abcdef"));
        broker = new CredentialBroker(new SecretResolver(Map.of("S", "client-secret"), store));
        String url = "http://127.0.0.1:" + tokenServer.getAddress().getPort() + "/token";
        bearer = broker.register("v/bearer", spec("{kind: oauth2-client-credentials, tokenUrl: '" + url + "', allowInsecureHttp: true, clientId: c, clientSecret: env:S}"));
        dpop = broker.register("v/dpop", spec("{kind: oauth2-client-credentials, tokenUrl: '" + url + "', allowInsecureHttp: true, clientId: c, clientSecret: env:S, dpop: true}"));
        header = broker.register("v/header", spec("{kind: header, header: X-Api-Key, value: store:acme/key}"));
        bearer.attach(target).get(30, TimeUnit.SECONDS);
        dpop.attach(target).get(30, TimeUnit.SECONDS);
        bearerPolicy = new CredentialPolicy(bearer, URI.create("https://api.vendor.example/v1"));
    }

    static CredentialSpec spec(String flow) {
        var p = new ConfigProblems("bench");
        var s = CredentialSpec.read(ConfigNode.parse("credential: " + flow, p).mapping("credential"));
        if (!p.isEmpty()) throw new IllegalStateException(p.list().toString());
        return s;
    }

    @TearDown
    public void tearDown() {
        broker.close();
        tokenServer.stop(0);
    }

    @Benchmark
    public Attachment cachedBearerAttach() {
        return bearer.attach(target).getNow(null);
    }

    @Benchmark
    public Attachment staticHeaderAttach() {
        return header.attach(target).getNow(null);
    }

    @Benchmark
    public Attachment cachedDpopAttachWithFreshProof() {
        return dpop.attach(target).getNow(null);
    }

    /** A fresh Netty request and Exchange per op, as the pipeline has; compare with {@link #exchangeOnly}. */
    @Benchmark
    public HeadVerdict policyHeadCachedBearer() {
        var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/charges?limit=3");
        req.headers().add("Authorization", "Bearer app-own").add("Accept", "application/json");
        var ex = new Exchange("1", Instant.EPOCH, 0, req, null, new X509Certificate[0], "HTTP/1.1", null);
        ex.pathInRoute("/charges");
        return bearerPolicy.onRequestHead(ex);
    }

    @Benchmark
    public Exchange exchangeOnly() {
        var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/v1/charges?limit=3");
        req.headers().add("Authorization", "Bearer app-own").add("Accept", "application/json");
        var ex = new Exchange("1", Instant.EPOCH, 0, req, null, new X509Certificate[0], "HTTP/1.1", null);
        ex.pathInRoute("/charges");
        return ex;
    }
}

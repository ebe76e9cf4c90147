package io.portcullis.gateway.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.testing.TestGateway;
import io.portcullis.gateway.testing.TestPki;
import io.portcullis.gateway.testing.TestVendor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downstream HTTP/2 (h2c by prior knowledge, h2 over TLS by ALPN) with curl as the real client, mTLS
 * app identity on the TLS listener, and mTLS toward the vendor.
 */
class Http2AndMtlsTest {
    @TempDir Path dir;
    TestPki appsCa, vendorCa, gatewayCa;
    TestVendor vendor;
    TestGateway gw;
    Path billingCert, billingKey, strangerCert, strangerKey;

    @BeforeEach
    void start() throws Exception {
        vendorCa = new TestPki("Vendor CA");
        appsCa = new TestPki("Internal Apps CA");
        gatewayCa = new TestPki("Gateway CA");
        // The vendor demands a client certificate issued by the "apps" CA: mTLS toward the vendor.
        var vendorLeaf = vendorCa.issue("CN=localhost", "localhost", "127.0.0.1");
        SSLContext vendorTls = mtlsServerContext(vendorLeaf, appsCa);
        vendor = new TestVendor(vendorTls, true);
        vendorCa.writeCa(dir, "vendor-ca.pem");
        var gwClient = appsCa.issue("CN=portcullis-gateway", "gateway.internal");
        gwClient.writeCert(dir, "gw-client.pem");
        gwClient.writeKey(dir, "gw-client.key");
        var gwLeaf = gatewayCa.issue("CN=localhost", "localhost", "127.0.0.1");
        gwLeaf.writeCert(dir, "gw.pem");
        gwLeaf.writeKey(dir, "gw.key");
        gatewayCa.writeCa(dir, "gateway-ca.pem");
        appsCa.writeCa(dir, "apps-ca.pem");
        var billing = appsCa.issue("CN=billing,O=Example", "billing.internal");
        billingCert = billing.writeCert(dir, "billing.pem");
        billingKey = billing.writeKey(dir, "billing.key");
        var stranger = new TestPki("Stranger CA").issue("CN=billing,O=Example", "billing.internal");
        strangerCert = stranger.writeCert(dir, "stranger.pem");
        strangerKey = stranger.writeKey(dir, "stranger.key");
        gw = new TestGateway(dir, """
                listen:
                  address: 127.0.0.1:0
                  tls:
                    address: 127.0.0.1:0
                    certificate: gw.pem
                    privateKey: gw.key
                    clientCa: apps-ca.pem
                apps:
                  - name: billing
                    mtls: {subject: "CN=billing,O=Example", sans: [billing.internal]}
                    apiKeys: [sha256:%s]
                vendors:
                  - name: acme
                    owner: o
                    purpose: p
                    apis:
                      - name: core
                        route: /acme
                        upstream: https://localhost:%d
                        allow: [billing]
                        tls:
                          caBundle: vendor-ca.pem
                          minVersion: TLSv1.3
                          clientCertificate: {certificate: gw-client.pem, privateKey: gw-client.key}
                """.formatted(TestGateway.keyDigest("k1"), vendor.port()));
    }

    static SSLContext mtlsServerContext(TestPki.Issued leaf, TestPki clientCa) throws Exception {
        var ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", leaf.key(), "x".toCharArray(), leaf.chain().toArray(new java.security.cert.X509Certificate[0]));
        var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        var ts = java.security.KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", clientCa.caCert());
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        var ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    @AfterEach
    void stop() {
        gw.close();
        vendor.close();
    }

    record Curl(int exit, String out) {}

    Curl curl(String... args) throws Exception {
        var cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-w", "\\n%{http_version} %{http_code}"));
        cmd.addAll(List.of(args));
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Curl(p.exitValue(), out);
    }

    @Test
    void curlOverH2cPriorKnowledgeWithApiKey() throws Exception {
        var r = curl("--http2-prior-knowledge", "-H", "X-Portcullis-Key: k1", "http://127.0.0.1:" + gw.server.port() + "/acme/v1/h2c");
        assertThat(r.out()).contains("\"uri\":\"/v1/h2c\"").endsWith("2 200");
        assertThat(gw.awaitExchanges(1).get(0).exchange().protocol()).isEqualTo("HTTP/2");
    }

    @Test
    void curlOverH2WithAlpnAndClientCertificateIdentity() throws Exception {
        var r = curl("--http2", "--cacert", dir.resolve("gateway-ca.pem").toString(), "--cert", billingCert.toString(), "--key", billingKey.toString(),
                "https://localhost:" + gw.server.tlsPort() + "/acme/v1/mtls");
        assertThat(r.out()).contains("\"uri\":\"/v1/mtls\"").endsWith("2 200");
        assertThat(gw.awaitExchanges(1).get(0).exchange().decisions()).anySatisfy(d -> assertThat(d.outcome().name() + d.reason()).isEqualTo("ALLOWmtls"));
    }

    @Test
    void curlOverHttp11TlsWithPostBody() throws Exception {
        var r = curl("--http1.1", "--cacert", dir.resolve("gateway-ca.pem").toString(), "--cert", billingCert.toString(), "--key", billingKey.toString(),
                "-d", "amount=100&currency=eur", "https://localhost:" + gw.server.tlsPort() + "/acme/v1/charges");
        assertThat(r.out()).contains("\"bytes\":23").endsWith("1.1 200");
    }

    @Test
    void certificateFromUntrustedCaIsRefusedAtHandshakeAndNoCertificateNeedsAnotherIdentity() throws Exception {
        var r = curl("--cacert", dir.resolve("gateway-ca.pem").toString(), "--cert", strangerCert.toString(), "--key", strangerKey.toString(),
                "https://localhost:" + gw.server.tlsPort() + "/acme/v1/x");
        assertThat(r.out()).doesNotContain("\"uri\"");
        var none = curl("--cacert", dir.resolve("gateway-ca.pem").toString(), "https://localhost:" + gw.server.tlsPort() + "/acme/v1/x");
        assertThat(none.out()).contains("\"status\":401").endsWith(" 401");
        assertThat(vendor.requests.get()).isZero();
    }

    @Test
    void sequentialStreamsReuseOneH2Connection() throws Exception {
        var args = new ArrayList<String>(List.of("--http2", "--cacert", dir.resolve("gateway-ca.pem").toString(), "-H", "X-Portcullis-Key: k1"));
        for (int i = 0; i < 5; i++) args.add("https://localhost:" + gw.server.tlsPort() + "/acme/v1/seq" + i);
        var r = curl(args.toArray(new String[0]));
        for (int i = 0; i < 5; i++) assertThat(r.out()).contains("\"uri\":\"/v1/seq" + i + "\"");
        assertThat(r.out().split("2 200", -1)).hasSize(6);
    }

    @Test
    void manyConcurrentStreamsOnOneH2Connection() throws Exception {
        var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(gatewayCa.clientTrusting()).build();
        var futures = new ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 50; i++) {
            futures.add(client.sendAsync(HttpRequest.newBuilder(URI.create("https://localhost:" + gw.server.tlsPort() + "/acme/v1/s" + i))
                    .header("X-Portcullis-Key", "k1").timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 50; i++) {
            var r = futures.get(i).get(60, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(r.body()).contains("/v1/s" + i + "\"");
        }
    }
}

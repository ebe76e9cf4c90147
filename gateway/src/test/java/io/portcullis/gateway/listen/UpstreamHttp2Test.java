package io.portcullis.gateway.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.testing.TestGateway;
import io.portcullis.gateway.testing.TestH2Vendor;
import io.portcullis.gateway.testing.TestPki;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 toward the vendor: negotiated by ALPN over TLS, or h2c by explicit choice; streams share one connection. */
class UpstreamHttp2Test {
    @TempDir Path dir;

    String config(String upstream, String extra) throws Exception {
        return TestGateway.oneApi(upstream, extra, "");
    }

    @Test
    void alpnNegotiatesH2AndConcurrentExchangesShareOneConnection() throws Exception {
        var pki = new TestPki("Vendor CA");
        pki.writeCa(dir, "ca.pem");
        try (var vendor = new TestH2Vendor(pki.issue("CN=localhost", "localhost"))) {
            try (var gw2 = new TestGateway(dir, config("https://localhost:" + vendor.port(), "        tls: {caBundle: ca.pem}"))) {
                assertThat(gw2.get("/acme/v1/first", "X-Portcullis-Key", "k1").body()).contains("\"uri\":\"/v1/first\"");
                var futures = new ArrayList<CompletableFuture<HttpResponse<String>>>();
                for (int i = 0; i < 20; i++) {
                    var req = java.net.http.HttpRequest.newBuilder(gw2.uri("/acme/v1/c" + i)).header("X-Portcullis-Key", "k1")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x".repeat(i * 100))).build();
                    futures.add(gw2.http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
                }
                for (int i = 0; i < 20; i++) {
                    var r = futures.get(i).get(60, TimeUnit.SECONDS);
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).contains("\"uri\":\"/v1/c" + i + "\"").contains("\"bytes\":" + (i * 100)).contains("\"authority\":\"localhost:" + vendor.port() + "\"");
                }
                assertThat(vendor.streams.get()).isEqualTo(21);
                assertThat(vendor.connections.get()).isLessThanOrEqualTo(2); // one per event loop at most
                assertThat(gw2.awaitExchanges(21)).allSatisfy(e -> assertThat(e.exchange().attributes()).containsEntry("upstream.protocol", "h2"));
            }
        }
    }

    @Test
    void h2cByPriorKnowledgeWhenConfigured() throws Exception {
        try (var vendor = new TestH2Vendor(null);
             var gw = new TestGateway(dir, config("http://127.0.0.1:" + vendor.port(), "        allowInsecureHttp: true\n        protocol: http2"))) {
            var r = gw.get("/acme/v1/plain", "X-Portcullis-Key", "k1");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"uri\":\"/v1/plain\"");
        }
    }
}

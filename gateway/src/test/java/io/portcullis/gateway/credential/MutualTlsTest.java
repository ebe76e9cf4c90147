package io.portcullis.gateway.credential;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.portcullis.core.secret.MasterKey;
import io.portcullis.core.secret.SecretResolver;
import io.portcullis.core.secret.SecretStore;
import io.portcullis.gateway.testing.TestPki;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8705 certificate-bound tokens: the token request (tls_client_auth) and the API calls present the same
 * client certificate. Both servers are real TLS servers that require a client certificate.
 */
class MutualTlsTest {
    @TempDir
    Path dir;
    TestPki serverPki;
    TestPki clientPki;
    HttpsServer tokenServer;
    HttpsServer apiServer;
    final List<String> tokenPeerThumbprints = new CopyOnWriteArrayList<>();
    final List<String> apiPeerThumbprints = new CopyOnWriteArrayList<>();
    final List<String> tokenBodies = new CopyOnWriteArrayList<>();
    final List<String> tokenAuthHeaders = new CopyOnWriteArrayList<>();
    CredentialBroker broker;

    @BeforeEach
    void start() throws Exception {
        serverPki = new TestPki("server-ca");
        clientPki = new TestPki("client-ca");
        var leaf = serverPki.issue("CN=localhost", "127.0.0.1", "localhost");
        tokenServer = server(leaf, (ex, thumb) -> {
            tokenPeerThumbprints.add(thumb);
            tokenBodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            tokenAuthHeaders.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            String body = "{\"access_token\":\"mtls-" + UUID.randomUUID() + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
            ex.getResponseHeaders().add("Content-Type", "application/json");
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
        });
        apiServer = server(leaf, (ex, thumb) -> {
            apiPeerThumbprints.add(thumb);
            ex.sendResponseHeaders(204, -1);
        });
    }

    interface Handler {
        void handle(HttpsExchange ex, String peerThumbprint) throws Exception;
    }

    private HttpsServer server(TestPki.Issued leaf, Handler h) throws Exception {
        var ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", leaf.key(), "x".toCharArray(), leaf.chain().toArray(new X509Certificate[0]));
        var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        var ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), trust(clientPki), null);
        var s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        s.setHttpsConfigurator(new HttpsConfigurator(ctx) {
            @Override
            public void configure(HttpsParameters p) {
                var params = ctx.getDefaultSSLParameters();
                params.setNeedClientAuth(true);
                p.setSSLParameters(params);
            }
        });
        s.createContext("/", ex -> {
            try {
                var https = (HttpsExchange) ex;
                var peer = (X509Certificate) https.getSSLSession().getPeerCertificates()[0];
                h.handle(https, ClientTlsIdentity.x5tS256(peer));
            } catch (Exception e) {
                ex.sendResponseHeaders(500, -1);
            } finally {
                ex.close();
            }
        });
        s.start();
        return s;
    }

    private static TrustManager[] trust(TestPki pki) throws Exception {
        var ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", pki.caCert());
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return tmf.getTrustManagers();
    }

    @AfterEach
    void stop() {
        if (broker != null) broker.close();
        tokenServer.stop(0);
        apiServer.stop(0);
    }

    @Test
    void theTokenRequestAndTheApiCallsPresentTheSameClientCertificate() throws Exception {
        var client = clientPki.issue("CN=portcullis-client");
        Path cert = client.writeCert(dir, "client.pem");
        Path key = client.writeKey(dir, "client-key.pem");
        broker = new CredentialBroker(new SecretResolver(Map.of(), new SecretStore(dir.resolve("s.pcs"), MasterKey.generate())),
                java.time.Clock.systemUTC(), e -> { }, trust(serverPki));
        var cred = broker.register("acme/mtls", Specs.read("""
                credential:
                  kind: oauth2-client-credentials
                  tokenUrl: https://127.0.0.1:%d/token
                  clientId: portcullis
                  auth: tls-client-auth
                  mtls: {certificate: 'file:%s', privateKey: 'file:%s'}
                """.formatted(tokenServer.getAddress().getPort(), cert, key)));
        Attachment a = cred.attach(new RequestTarget("GET", "https", "127.0.0.1", "/")).get(60, TimeUnit.SECONDS);
        assertThat(a.headerValue(0)).startsWith("Bearer mtls-");
        assertThat(tokenBodies).singleElement().satisfies(b -> assertThat(b).contains("client_id=portcullis").doesNotContain("client_secret"));
        assertThat(tokenAuthHeaders).containsExactly("null");

        var identity = cred.clientTls().orElseThrow();
        assertThat(tokenPeerThumbprints).containsExactly(identity.thumbprint());
        // the upstream uses the identity's key manager; here a JDK client stands in for the Netty upstream
        var http = HttpClient.newBuilder().sslContext(identity.sslContext(trust(serverPki))).build();
        var r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + apiServer.getAddress().getPort() + "/v1/x"))
                .header("Authorization", a.headerValue(0)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(apiPeerThumbprints).containsExactly(identity.thumbprint());
        assertThat(identity.toString()).contains("portcullis-client").doesNotContain("PRIVATE");
    }

    @Test
    void withoutTheClientCertificateTheTokenEndpointRefusesAndTheFailureIsClear() throws Exception {
        var client = clientPki.issue("CN=portcullis-client");
        Path cert = client.writeCert(dir, "client.pem");
        Path key = client.writeKey(dir, "client-key.pem");
        broker = new CredentialBroker(new SecretResolver(Map.of("S", "secret-value-for-post-123"), new SecretStore(dir.resolve("s.pcs"), MasterKey.generate())),
                java.time.Clock.systemUTC(), e -> { }, trust(serverPki));
        var cred = broker.register("acme/plain", Specs.read("""
                credential:
                  kind: oauth2-client-credentials
                  tokenUrl: https://127.0.0.1:%d/token
                  clientId: portcullis
                  auth: client-secret-post
                  clientSecret: env:S
                """.formatted(tokenServer.getAddress().getPort())));
        var err = cred.attach(new RequestTarget("GET", "https", "127.0.0.1", "/")).handle((x, e) -> e).get(60, TimeUnit.SECONDS);
        assertThat(TokenCache.unwrap(err)).isInstanceOf(CredentialUnavailableException.class)
                .hasMessageContaining("acme/plain").hasMessageNotContaining("secret-value-for-post-123");
        assertThat(cert).exists();
        assertThat(key).exists();
    }
}

package io.portcullis.gateway.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.testing.TestGateway;
import io.portcullis.gateway.testing.TestVendor;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request smuggling shapes, header limits and path tricks, sent as raw bytes over a real socket. */
class RequestHygieneTest {
    @TempDir Path dir;
    TestVendor vendor;
    TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        vendor = new TestVendor(null);
        gw = new TestGateway(dir, TestGateway.oneApi("http://127.0.0.1:" + vendor.port(), "        allowInsecureHttp: true", ", maxHeaderSize: 4KiB"));
    }

    @AfterEach
    void stop() {
        gw.close();
        vendor.close();
    }

    String raw(String request) throws Exception {
        try (var s = new Socket("127.0.0.1", gw.server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            var out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    if (out.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n") && out.toString(StandardCharsets.ISO_8859_1).contains("}")) break;
                }
            } catch (java.net.SocketTimeoutException e) {
                // return what arrived
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void wellFormedRawRequestPasses() throws Exception {
        assertThat(raw("GET /acme/x HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void contentLengthWithTransferEncodingIs400() throws Exception {
        String r = raw("POST /acme/x HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 400").contains("application/problem+json");
        assertThat(vendor.requests.get()).isZero();
    }

    @Test
    void obsFoldIs400() throws Exception {
        String r = raw("GET /acme/x HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\nX-Folded: a\r\n b\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 400").contains("obs-fold");
        assertThat(vendor.requests.get()).isZero();
    }

    @Test
    void bareCrIs400() throws Exception {
        String r = raw("GET /acme/x HTTP/1.1\r\nHost: g\rX-Portcullis-Key: k1\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 400").contains("bare CR");
    }

    @Test
    void bareLfIs400() throws Exception {
        String r = raw("GET /acme/x HTTP/1.1\nHost: g\nX-Portcullis-Key: k1\n\n");
        assertThat(r).startsWith("HTTP/1.1 400");
    }

    @Test
    void duplicateDifferingContentLengthsAre400() throws Exception {
        String r = raw("POST /acme/x HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab");
        assertThat(r).startsWith("HTTP/1.1 400");
    }

    @Test
    void headerBlockAtLimitPassesAndOverLimitIs431() throws Exception {
        String base = "GET /acme/x HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\nConnection: close\r\n";
        String ok = raw(base + "X-Pad: " + "a".repeat(3000) + "\r\n\r\n");
        assertThat(ok).startsWith("HTTP/1.1 200");
        String big = raw(base + "X-Pad: " + "a".repeat(5000) + "\r\n\r\n");
        assertThat(big).startsWith("HTTP/1.1 431").contains("header-too-large");
    }

    @Test
    void dotSegmentsAndEncodedSlashesAre400() throws Exception {
        assertThat(raw("GET /acme/v1/../admin HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(raw("GET /acme/v1/%2e%2e/admin HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(raw("GET /acme/v1%2fadmin HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(vendor.requests.get()).isZero();
    }

    @Test
    void absoluteFormAndConnectAreRefused() throws Exception {
        assertThat(raw("GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\nX-Portcullis-Key: k1\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(raw("CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\nX-Portcullis-Key: k1\r\n\r\n")).startsWith("HTTP/1.1 405");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        String one = "GET /acme/one HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\n\r\n";
        String two = "GET /acme/two HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\nConnection: close\r\n\r\n";
        try (var s = new Socket("127.0.0.1", gw.server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((one + two).getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all.indexOf("/one")).isGreaterThan(0).isLessThan(all.indexOf("/two"));
        }
    }

    @Test
    void pipelinedRequestsWithAndWithoutBodiesAreAllAnsweredInOrder() throws Exception {
        int N = 40;
        var sb = new StringBuilder();
        for (int i = 0; i < N; i++) { // more than the backlog holds before reading pauses
            if (i % 3 == 1) sb.append("POST /acme/p").append(i).append(" HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\nContent-Length: 5\r\n\r\nhello");
            else sb.append("GET /acme/g").append(i).append(" HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\n\r\n");
        }
        sb.append("GET /acme/last HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\nConnection: close\r\n\r\n");
        try (var s = new Socket("127.0.0.1", gw.server.port())) {
            s.setSoTimeout(30_000); // generous: a stall, not slowness, is what fails
            s.getOutputStream().write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
            var got = new java.io.ByteArrayOutputStream();
            try {
                s.getInputStream().transferTo(got);
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("stalled after: " + got.toString(StandardCharsets.ISO_8859_1).replaceAll("(?s)HTTP/1.1 (\\d+).*?\"uri\":\"([^\"]+)\"[^}]*}", "[$1 $2]"));
            }
            String all = got.toString(StandardCharsets.ISO_8859_1);
            int at = 0;
            for (int i = 0; i < N; i++) {
                int next = all.indexOf("\"uri\":\"" + (i % 3 == 1 ? "/p" : "/g") + i + "\"", at); // each answer names its path, in order
                assertThat(next).as("answer %d", i).isGreaterThan(at);
                at = next;
            }
            assertThat(all.indexOf("\"uri\":\"/last\"", at)).isGreaterThan(at);
            assertThat(all.split("HTTP/1.1 200", -1)).hasSize(N + 2);
        }
    }

    @Test
    void hopByHopHeadersNamedInConnectionAreNotForwarded() throws Exception {
        raw("GET /acme/x HTTP/1.1\r\nHost: g\r\nX-Portcullis-Key: k1\r\nConnection: close, X-Secret-Hop\r\nX-Secret-Hop: 1\r\nKeep-Alive: 5\r\nTE: trailers\r\n\r\n");
        var seen = vendor.seen.get(0).headers();
        assertThat(seen.keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Secret-Hop") || h.equalsIgnoreCase("Keep-Alive") || h.equalsIgnoreCase("TE"));
    }
}

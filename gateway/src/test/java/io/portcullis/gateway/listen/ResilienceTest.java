package io.portcullis.gateway.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.testing.TestGateway;
import io.portcullis.gateway.testing.TestVendor;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timeouts, upstream failures, response limits and the circuit breaker, against real misbehaving peers. */
class ResilienceTest {
    @TempDir Path dir;
    TestVendor vendor;
    TestGateway gw;

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        if (vendor != null) vendor.close();
    }

    String config(int port, String extra) throws Exception {
        return TestGateway.oneLoopbackApi(port, extra);
    }

    @Test
    void slowVendorGets504AfterResponseTimeout() throws Exception {
        vendor = new TestVendor(null).on("/slow", (ex, body) -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                return;
            }
            TestVendor.respond(ex, 200, "text/plain", "late");
        });
        gw = new TestGateway(dir, config(vendor.port(), "        limits: {responseTimeout: 300ms}"));
        var r = gw.get("/acme/slow", "X-Portcullis-Key", "k1");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("upstream-timeout").contains("300ms");
    }

    @Test
    void refusedConnectionIs502() throws Exception {
        int dead;
        try (var s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        gw = new TestGateway(dir, config(dead, ""));
        var r = gw.get("/acme/x", "X-Portcullis-Key", "k1");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("upstream-unreachable");
    }

    @Test
    void vendorClosingMidResponseHeadIs502() throws Exception {
        try (var s = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                try (var c = s.accept()) {
                    c.getInputStream().read(new byte[4096]);
                    c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Le".getBytes());
                } catch (Exception ignored) {
                    // test peer
                }
            });
            gw = new TestGateway(dir, config(s.getLocalPort(), ""));
            var r = gw.get("/acme/x", "X-Portcullis-Key", "k1");
            assertThat(r.statusCode()).isEqualTo(502);
        }
    }

    @Test
    void responseBodyLimitAtItsEdge() throws Exception {
        vendor = new TestVendor(null)
                .on("/exact", (ex, b) -> TestVendor.respond(ex, 200, "text/plain", "x".repeat(2048)))
                .on("/over", (ex, b) -> TestVendor.respond(ex, 200, "text/plain", "x".repeat(2049)));
        gw = new TestGateway(dir, config(vendor.port(), "        limits: {maxResponseBody: 2KiB}"));
        assertThat(gw.get("/acme/exact", "X-Portcullis-Key", "k1").body()).hasSize(2048);
        // the head is already on its way when the limit is crossed in the body: the exchange is cut off
        try {
            var r = gw.get("/acme/over", "X-Portcullis-Key", "k1");
            assertThat(r.body().length()).isLessThan(2049);
        } catch (java.io.IOException expected) {
            // connection closed mid-body: the app never receives more than the limit
        }
        assertThat(gw.awaitExchanges(2).get(1).exchange().decisions()).anySatisfy(d -> assertThat(d.policy()).isEqualTo("response-limits"));
    }

    @Test
    void circuitOpensAfterConsecutiveFailuresThenHalfOpenProbeClosesIt() throws Exception {
        var failing = new java.util.concurrent.atomic.AtomicBoolean(true);
        vendor = new TestVendor(null).on("/", (ex, b) -> TestVendor.respond(ex, failing.get() ? 503 : 200, "text/plain", failing.get() ? "down" : "up"));
        gw = new TestGateway(dir, config(vendor.port(), "        circuitBreaker: {failures: 3, openFor: 1s}"));
        for (int i = 0; i < 3; i++) assertThat(gw.get("/acme/x", "X-Portcullis-Key", "k1").statusCode()).isEqualTo(503);
        int before = vendor.requests.get();
        var open = gw.get("/acme/x", "X-Portcullis-Key", "k1");
        assertThat(open.statusCode()).isEqualTo(503);
        assertThat(open.body()).contains("circuit-open");
        assertThat(open.headers().firstValue("Retry-After")).isPresent();
        assertThat(vendor.requests.get()).isEqualTo(before); // failed fast, the vendor was not called
        assertThat(gw.metrics.scrape()).contains("portcullis_circuit_state{api=\"core\",vendor=\"acme\"} 2.0");
        assertThat(gw.security).anySatisfy(s -> assertThat(s.type()).isEqualTo("CIRCUIT_OPENED"));
        failing.set(false);
        Thread.sleep(1100);
        assertThat(gw.get("/acme/x", "X-Portcullis-Key", "k1").statusCode()).isEqualTo(200); // the probe
        assertThat(gw.get("/acme/x", "X-Portcullis-Key", "k1").statusCode()).isEqualTo(200);
        assertThat(gw.metrics.scrape()).contains("portcullis_circuit_state{api=\"core\",vendor=\"acme\"} 0.0");
    }

    @Test
    void metricsCountRequestsPerAppVendorAndStatus() throws Exception {
        vendor = new TestVendor(null);
        gw = new TestGateway(dir, config(vendor.port(), ""));
        gw.get("/acme/x", "X-Portcullis-Key", "k1");
        gw.get("/acme/x");
        gw.awaitExchanges(2);
        String m = gw.metrics.scrape();
        assertThat(m).contains("portcullis_requests_total{api=\"core\",app=\"billing\",status=\"2xx\",vendor=\"acme\"} 1.0");
        assertThat(m).contains("portcullis_requests_total{api=\"none\",app=\"unidentified\",status=\"4xx\",vendor=\"none\"} 1.0");
        assertThat(m).contains("portcullis_request_duration_seconds_bucket");
        assertThat(m).contains("portcullis_decisions_total{outcome=\"deny\",policy=\"identity\"} 1.0");
    }

    @Test
    void vendorSilentAfterTheHeadIsCutOffAtTheIdleTimeoutAndTheAppIsNotLeftHanging() throws Exception {
        vendor = new TestVendor(null).on("/stall", (ex, body) -> {
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, 100);
            ex.getResponseBody().write("first part ".getBytes());
            ex.getResponseBody().flush();
            try {
                Thread.sleep(10_000); // never sends the rest in time
            } catch (InterruptedException e) {
                return;
            }
        });
        gw = new TestGateway(dir, config(vendor.port(), "        limits: {idleTimeout: 300ms, responseTimeout: 60s}"));
        boolean cutOff;
        try {
            var r = gw.get("/acme/stall", "X-Portcullis-Key", "k1");
            cutOff = r.body().length() < 100;
        } catch (java.io.IOException e) {
            cutOff = true; // the gateway aborted the half-sent response
        }
        assertThat(cutOff).isTrue();
        assertThat(gw.awaitExchanges(1).getFirst().exchange().decisions())
                .anySatisfy(d -> assertThat(d.reason()).contains("idle"));
    }

    @Test
    void vendorSilentBeforeTheHeadIs504AtTheIdleTimeout() throws Exception {
        vendor = new TestVendor(null).on("/silent", (ex, body) -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                return;
            }
            TestVendor.respond(ex, 200, "text/plain", "late");
        });
        gw = new TestGateway(dir, config(vendor.port(), "        limits: {idleTimeout: 300ms, responseTimeout: 60s}"));
        var r = gw.get("/acme/silent", "X-Portcullis-Key", "k1");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("upstream-timeout").contains("no data from the vendor");
    }

    @Test
    void idleKeepAliveConnectionsAreClosedAfterTheListenerIdleTimeout() throws Exception {
        vendor = new TestVendor(null).on("/ok", (ex, body) -> TestVendor.respond(ex, 200, "text/plain", "ok"));
        gw = new TestGateway(dir, TestGateway.oneApi("http://127.0.0.1:" + vendor.port(), "        allowInsecureHttp: true\n", ", idleTimeout: 300ms"));
        int port = gw.uri("/").getPort();
        try (var sock = new java.net.Socket("127.0.0.1", port)) {
            sock.setSoTimeout(30_000); // generous: only the close matters, not how soon it comes
            sock.getOutputStream().write(("GET /acme/ok HTTP/1.1\r\nHost: gw\r\nX-Portcullis-Key: k1\r\n\r\n").getBytes());
            var in = sock.getInputStream();
            var got = new StringBuilder();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) got.append(new String(buf, 0, n)); // ends when the gateway closes the idle connection
            assertThat(got.toString()).startsWith("HTTP/1.1 200").endsWith("ok");
            assertThat(n).isEqualTo(-1);
        }
    }

    @Test
    void aSilentClientThatNeverSendsARequestIsDisconnected() throws Exception {
        vendor = new TestVendor(null);
        gw = new TestGateway(dir, TestGateway.oneApi("http://127.0.0.1:" + vendor.port(), "        allowInsecureHttp: true\n", ", idleTimeout: 300ms"));
        try (var sock = new java.net.Socket("127.0.0.1", gw.uri("/").getPort())) {
            sock.setSoTimeout(30_000);
            assertThat(sock.getInputStream().read()).isEqualTo(-1);
        }
    }
}

package io.portcullis.gateway.listen;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration swaps under load drop no request; a bad file is rejected and the old snapshot keeps serving. */
class HotReloadTest {
    @TempDir Path dir;

    String config(int port, int generation, boolean extraRoute) throws Exception {
        return """
                listen: {address: 127.0.0.1:0}
                admin: {address: 127.0.0.1:0}
                apps:
                  - name: billing
                    description: generation %d
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
                """.formatted(generation, TestGateway.keyDigest("k1"), port) + (extraRoute ? """
                      - name: extra
                        route: /extra
                        upstream: http://127.0.0.1:%d
                        allowInsecureHttp: true
                        allow: [billing]
                """.formatted(port) : "");
    }

    void write(Path file, String text) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void awaitMore(AtomicInteger counter, int more) throws InterruptedException {
        int target = counter.get() + more;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (counter.get() < target && System.nanoTime() < deadline) Thread.sleep(2);
    }

    @Test
    void swapsUnderLoadLoseNoRequestAndInvalidFilesKeepTheOldSnapshot() throws Exception {
        try (var vendor = new TestVendor(null)) {
            Path file = dir.resolve("portcullis.yaml");
            write(file, config(vendor.port(), 0, false));
            try (var gw = Gateway.start(file, GatewayEvents.NONE, new GatewayMetrics(), List.of(), 2, 0)) {
                var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                var running = new AtomicBoolean(true);
                var ok = new AtomicInteger();
                var failures = new ConcurrentHashMap<String, Integer>();
                var threads = new ArrayList<Thread>();
                for (int t = 0; t < 4; t++) {
                    threads.add(Thread.ofVirtual().start(() -> {
                        while (running.get()) {
                            try {
                                var r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port() + "/acme/v1/x"))
                                        .header("X-Portcullis-Key", "k1").timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                                if (r.statusCode() == 200) ok.incrementAndGet();
                                else failures.merge("status " + r.statusCode(), 1, Integer::sum);
                            } catch (Exception e) {
                                failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                            }
                        }
                    }));
                }
                long firstGeneration = gw.runtime().snapshot().generation();
                for (int g = 1; g <= 10; g++) {
                    awaitMore(ok, 3); // requests really are in flight around every swap
                    write(file, config(vendor.port(), g, g % 2 == 0));
                    gw.checkConfigNow();
                }
                awaitMore(ok, 3);
                // an invalid file: rejected, logged, old snapshot keeps serving
                write(file, config(vendor.port(), 11, false) + "upstreams: [oops]\n");
                gw.checkConfigNow();
                awaitMore(ok, 3);
                running.set(false);
                for (var t : threads) t.join();
                assertThat(failures).as("failed requests during reloads").isEmpty();
                assertThat(ok.get()).isGreaterThan(20);
                assertThat(gw.runtime().snapshot().generation()).isEqualTo(firstGeneration + 10);
                assertThat(gw.rejectedReloads()).isEqualTo(1);
                // generation 10 had the extra route, and it is still what serves
                var extra = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port() + "/extra/y"))
                        .header("X-Portcullis-Key", "k1").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(extra.statusCode()).isEqualTo(200);
                var status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.adminPort() + "/status")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(status.body()).contains("\"rejectedReloads\":1");
            }
        }
    }
}

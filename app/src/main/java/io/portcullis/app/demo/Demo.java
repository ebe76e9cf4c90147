package io.portcullis.app.demo;

import io.portcullis.app.GatewayAssembly;
import io.portcullis.core.audit.AuditVerifier;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The demo: a sample vendor ("Acme Payments") over TLS with its own CA, a gateway configured for it,
 * and traffic from two apps that shows each kind of decision. Everything runs on loopback.
 */
public final class Demo {
    private static final String BILLING_KEY = "demo-billing-key-7f3a";
    private static final String ANALYTICS_KEY = "demo-analytics-key-2c9e";

    private final Path dir;
    private final PrintStream out;

    public Demo(Path dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
    }

    record Step(String what, String app, String request, int status, String shows) {}

    public int run(boolean keepRunning) throws Exception {
        Files.createDirectories(dir);
        Path audit = dir.resolve("audit");
        deleteTree(dir.resolve("store"));
        if (Files.isDirectory(audit)) {
            try (var files = Files.list(audit)) {
                for (Path p : files.toList()) Files.delete(p); // each demo run starts a fresh, verifiable trail
            }
        }
        var pki = new DemoPki();
        try (var vendor = new DemoVendor(pki.serverContext())) {
            pki.writeCa(dir);
            // Acme's published contract (written for the demo): the charges list and create. Anything else
            // the apps call there is a shadow API, and discovery says so the first time it sees it.
            Files.writeString(dir.resolve("acme-payments-openapi.yaml"), """
                    openapi: 3.0.3
                    info: {title: Acme Payments API, version: '1.0'}
                    servers: [{url: 'https://localhost'}]
                    paths:
                      /v1/charges:
                        get: {responses: {'200': {description: list of charges}}}
                        post: {responses: {'200': {description: the created charge}}}
                    """);
            Path config = dir.resolve("portcullis.yaml");
            String wrongPin = "sha256/" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest("not the vendor's key".getBytes(StandardCharsets.UTF_8)));
            Files.writeString(config, """
                    # Written by `portcullis demo`. Two apps, one vendor with two APIs.
                    listen: {address: 127.0.0.1:0}
                    admin: {address: 127.0.0.1:0}
                    audit: {file: audit/audit.jsonl}
                    store: store/inventory        # embedded H2 file: what discovery learns from traffic
                    catalog: [acme-payments-openapi.yaml]   # what live traffic is judged against
                    apps:
                      - name: billing
                        description: charges customers
                        apiKeys: [sha256:%s]
                      - name: analytics
                        description: reporting jobs; not allowed to touch payments
                        apiKeys: [sha256:%s]
                    vendors:
                      - name: acme-payments
                        owner: payments-team@example.com
                        purpose: card payments for orders
                        apis:
                          - name: charges
                            route: /payments
                            upstream: https://localhost:%d
                            allow:
                              - {app: billing, methods: [GET, POST], paths: [/v1/charges, /v1/charges/**]}
                            tls: {minVersion: TLSv1.3, caBundle: demo-vendor-ca.pem}
                            rateLimit: {requests: 5, per: 1m, burst: 5}
                          - name: charges-pinned
                            route: /payments-pinned
                            upstream: https://localhost:%d
                            allow: [billing]
                            tls: {caBundle: demo-vendor-ca.pem, pins: [%s]}
                    """.formatted(hex(BILLING_KEY), hex(ANALYTICS_KEY), vendor.port(), vendor.port(), wrongPin));
            try (var system = GatewayAssembly.start(config, 2, 1000)) {
                int port = system.gateway().port();
                out.printf("%nPortcullis demo%n  sample vendor 'acme-payments' on https://localhost:%d (its own CA)%n  gateway on http://127.0.0.1:%d, metrics on http://127.0.0.1:%d/metrics%n  config %s%n%n",
                        vendor.port(), port, system.gateway().adminPort(), config);
                var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                var steps = new ArrayList<Step>();
                steps.add(call(http, port, "allowed call", "billing", BILLING_KEY, "GET", "/payments/v1/charges", "app allowed on this API and path"));
                steps.add(call(http, port, "allowed write", "billing", BILLING_KEY, "POST", "/payments/v1/charges", "body streamed to the vendor"));
                steps.add(call(http, port, "undocumented call", "billing", BILLING_KEY, "GET", "/payments/v1/charges/export", "allowed, but not in Acme's spec: a shadow API"));
                steps.add(call(http, port, "denied app", "analytics", ANALYTICS_KEY, "GET", "/payments/v1/charges", "egress allowlist: analytics may not call payments"));
                steps.add(call(http, port, "no identity", "(none)", null, "GET", "/payments/v1/charges", "every request must identify its app"));
                steps.add(call(http, port, "unknown route", "billing", BILLING_KEY, "GET", "/mystery-api/v1/users", "no vendor API is routed there"));
                int limited = 0, passed = 0;
                for (int i = 0; i < 6; i++) {
                    var s = call(http, port, "burst", "billing", BILLING_KEY, "GET", "/payments/v1/charges?limit=" + i, "");
                    if (s.status() == 429) limited++;
                    else passed++;
                }
                steps.add(new Step("rate-limited burst", "billing", "6 x GET /payments/v1/charges", 429, passed + " passed, " + limited + " got 429 with Retry-After"));
                steps.add(call(http, port, "pin mismatch", "billing", BILLING_KEY, "GET", "/payments-pinned/v1/charges", "vendor key matches no pin: refused before any byte was sent"));
                out.printf("  %-20s %-10s %-36s %-6s %s%n", "WHAT", "APP", "REQUEST", "STATUS", "WHY");
                for (var s : steps) out.printf("  %-20s %-10s %-36s %-6d %s%n", s.what(), s.app(), s.request(), s.status(), s.shows());
                system.bus().close(Duration.ofSeconds(5)); // flush the audit trail before reading it
                Path auditFile = system.config().audit().file();
                var result = new AuditVerifier(io.portcullis.core.audit.AuditChainKey.fromEnvironment(), false).verify(List.of(auditFile));
                boolean ok = result instanceof AuditVerifier.Intact;
                out.printf("%n  audit log: %s (%d records, hash chain %s)%n", auditFile,
                        Files.readAllLines(auditFile).size(), ok ? "verified" : "NOT intact: " + result);
                out.printf("  verify it yourself:  bin/portcullis audit verify %s%n", auditFile);
                for (var op : system.inventory().snapshot().operations()) {
                    out.printf("  discovered from traffic: %s %s%s (%d requests, apps %s)%n", op.method(), op.host(), op.path().render(), op.requests(), op.apps());
                }
                for (String line : Files.readAllLines(auditFile)) {
                    if (line.contains("\"SHADOW_API_FIRST_SEEN\"")) {
                        int m = line.indexOf("\"message\":\"");
                        out.printf("  alert in the audit log: %s%n", line.substring(m + 11, line.indexOf('"', m + 11)));
                    }
                }
                out.printf("  the pin-mismatch event names the vendor's actual pins: grep PIN_MISMATCH %s%n%n", auditFile);
                if (keepRunning) {
                    out.printf("  still running; try: curl -H 'X-Portcullis-Key: %s' http://127.0.0.1:%d/payments/v1/charges   (Ctrl-C to stop)%n", BILLING_KEY, port);
                    new CountDownLatch(1).await();
                }
                return ok ? 0 : 1;
            }
        }
    }

    private Step call(HttpClient http, int port, String what, String app, String key, String method, String path, String shows) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20));
        if (key != null) b.header("X-Portcullis-Key", key);
        if (method.equals("POST")) b.POST(HttpRequest.BodyPublishers.ofString("amount=2000&currency=eur")).header("Content-Type", "application/x-www-form-urlencoded");
        var r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Step(what, app, method + " " + path, r.statusCode(), shows);
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) return;
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    private static String hex(String key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}

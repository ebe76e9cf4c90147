package io.portcullis.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.app.demo.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo, end to end: every decision it promises shows up, and its audit trail verifies. */
class DemoTest {
    @TempDir Path dir;

    @Test
    void demoShowsEachDecisionAndLeavesAVerifiedAuditTrail() throws Exception {
        var buf = new ByteArrayOutputStream();
        int exit = new Demo(dir, new PrintStream(buf, true, StandardCharsets.UTF_8)).run(false);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(out).containsPattern("allowed call\\s+billing\\s+GET /payments/v1/charges\\s+200");
        assertThat(out).containsPattern("denied app\\s+analytics.*403");
        assertThat(out).containsPattern("no identity.*401");
        assertThat(out).containsPattern("unknown route.*404");
        assertThat(out).containsPattern("rate-limited burst.*429\\s+\\d passed, [1-6] got 429");
        assertThat(out).containsPattern("pin mismatch.*502");
        assertThat(out).contains("hash chain verified");
        assertThat(out).contains("alert in the audit log: shadow API first seen: GET localhost/v1/charges/export");
        assertThat(out).containsPattern("discovered from traffic: GET localhost/v1/charges \\(\\d+ requests, apps \\[billing\\]\\)");
        String audit = Files.readString(dir.resolve("audit/audit.jsonl"));
        // the inventory learned from live traffic was written to the store and survives the run
        try (var store = io.portcullis.control.store.InventoryStore.open("h2:" + dir.resolve("store/inventory").toAbsolutePath())) {
            assertThat(store.operationsByVendor("acme-payments")).anySatisfy(op -> {
                assertThat(op.method() + " " + op.pathTemplate()).isEqualTo("GET /v1/charges");
                assertThat(op.requestCount()).isGreaterThanOrEqualTo(2);
                assertThat(op.apps()).containsExactly("billing");
            });
        }
        assertThat(audit).contains("\"action\":\"PIN_MISMATCH\"").contains("actualPins");
        // the demo apps' API keys never reach the audit trail
        assertThat(audit).doesNotContain("demo-billing-key").doesNotContain("demo-analytics-key");
    }
}

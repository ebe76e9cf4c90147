package io.portcullis.gateway.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.config.ApiConfig;
import io.portcullis.gateway.policy.InboundPolicies;
import io.portcullis.gateway.testing.TestGateway;
import io.portcullis.gateway.testing.TestVendor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Injection detection on vendor responses through the real gateway (real sockets, the default inbound policy). */
class ThreatGatewayTest {
    @TempDir Path dir;
    TestVendor vendor;
    TestGateway gw;

    @AfterEach
    void stop() {
        if (gw != null) gw.close();
        if (vendor != null) vendor.close();
    }

    static final String BLOCK = "        inbound:\n          threats: {action: block}\n";

    void start(String inbound, String path, String contentType, String body) throws Exception {
        vendor = new TestVendor(null).on(path, (ex, b) -> TestVendor.respond(ex, 200, contentType, body));
        var cfg = TestGateway.load(dir, TestGateway.oneLoopbackApi(vendor.port(), inbound));
        gw = new TestGateway(cfg, events -> List.of(InboundPolicies.contributor(ApiConfig::inbound, null, events)));
    }

    @Test
    void sqlInjectionInAVendorJsonResponseIsBlockedWith502AndTheAuditNamesThePath() throws Exception {
        start(BLOCK, "/v1/customers", "application/json",
                "{\"data\":[{\"id\":\"cus_1\",\"name\":\"Ann\"},{\"id\":\"cus_2\",\"name\":\"x' UNION SELECT password FROM users--\"}]}");
        var r = gw.get("/acme/v1/customers", "X-Portcullis-Key", "k1");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("response-threat").doesNotContain("UNION SELECT");
        var x = gw.awaitExchanges(1).getFirst().exchange();
        assertThat(x.findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo("threat");
            assertThat(f.type()).isEqualTo("SQLI");
            assertThat(f.path()).isEqualTo("body.$.data[1].name");
            assertThat(f.detail()).contains("acme");
        });
    }

    @Test
    void xssInAVendorResponseIsBlocked() throws Exception {
        start(BLOCK, "/v1/tickets", "application/json", "{\"ticket\":{\"subject\":\"<img src=x onerror=alert(document.cookie)>\"}}");
        assertThat(gw.get("/acme/v1/tickets", "X-Portcullis-Key", "k1").statusCode()).isEqualTo(502);
        assertThat(gw.awaitExchanges(1).getFirst().exchange().findings())
                .anySatisfy(f -> assertThat(f.path()).isEqualTo("body.$.ticket.subject"));
    }

    @Test
    void ssrfBaitInAVendorResponseIsBlocked() throws Exception {
        start(BLOCK, "/v1/hooks", "application/json", "{\"callback_url\":\"http://169.254.169.254/latest/meta-data/iam/security-credentials/\"}");
        assertThat(gw.get("/acme/v1/hooks", "X-Portcullis-Key", "k1").statusCode()).isEqualTo(502);
        assertThat(gw.awaitExchanges(1).getFirst().exchange().findings()).anySatisfy(f -> {
            assertThat(f.type()).isEqualTo("SSRF");
            assertThat(f.path()).isEqualTo("body.$.callback_url");
        });
    }

    @Test
    void reportModeLetsTheResponseThroughAndStillRecordsTheFinding() throws Exception {
        String body = "{\"note\":\"'; DROP TABLE invoices; --\"}";
        start("        inbound:\n          threats: {action: report}\n", "/v1/notes", "application/json", body);
        var r = gw.get("/acme/v1/notes", "X-Portcullis-Key", "k1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(body);
        assertThat(gw.awaitExchanges(1).getFirst().exchange().findings()).anySatisfy(f -> {
            assertThat(f.type()).isEqualTo("SQLI");
            assertThat(f.path()).isEqualTo("body.$.note");
        });
    }

    @Test
    void benignMultilingualJsonPassesUntouched() throws Exception {
        String body = """
                {"orders":[{"id":"ord_81","customer":"Zoë Ångström","address":"Straße des 17. Juni 135, 10623 Berlin",
                "note":"Please select the blue one from the drop-down; delete my old address from the table"},
                {"id":"ord_82","customer":"山田 太郎","address":"東京都千代田区丸の内1-1","note":"配達は午後にお願いします"},
                {"id":"ord_83","customer":"Иван Петров","note":"Заказ №42 — оплата картой, спасибо!"},
                {"id":"ord_84","customer":"محمد علي","note":"يرجى التوصيل بعد الساعة 5 مساءً"},
                {"id":"ord_85","product":"O'Reilly \\"Learning SQL\\" 3rd ed.","price":39.99,"url":"https://shop.example.com/p/85"}]}""";
        start("", "/v1/orders", "application/json; charset=utf-8", body);
        var r = gw.get("/acme/v1/orders", "X-Portcullis-Key", "k1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(body);
        assertThat(gw.awaitExchanges(1).getFirst().exchange().findings()).isEmpty();
    }

    @Test
    void nonInspectableContentStillStreams() throws Exception {
        start("", "/v1/export", "text/csv", "id,name\n1,' OR 1=1 --\n");
        var r = gw.get("/acme/v1/export", "X-Portcullis-Key", "k1");
        assertThat(r.statusCode()).isEqualTo(200); // CSV is not a body the threat engine parses
    }

    @Test
    void inboundOffPassesTheResponseUnexaminedWithNoFindings() throws Exception {
        String body = "{\"note\":\"'; DROP TABLE invoices; --\",\"deep\":" + "[".repeat(100) + "]".repeat(100) + "}";
        start("        inbound: off\n", "/v1/notes", "application/json", body);
        var r = gw.get("/acme/v1/notes", "X-Portcullis-Key", "k1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(body);
        assertThat(gw.awaitExchanges(1).getFirst().exchange().findings()).isEmpty();
    }

    @Test
    void limitsOffStillRefusesADecompressionBomb() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(new byte[8 << 20]);
        }
        byte[] bomb = bytes.toByteArray();
        vendor = new TestVendor(null).on("/v1/export", (ex, b) -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.getResponseHeaders().set("Content-Encoding", "gzip");
            ex.sendResponseHeaders(200, bomb.length);
            try (var os = ex.getResponseBody()) {
                os.write(bomb);
            }
        });
        var cfg = TestGateway.load(dir, TestGateway.oneLoopbackApi(vendor.port(),
                "        inbound: {limits: {action: off}, threats: {action: off}}\n"));
        gw = new TestGateway(cfg, events -> List.of(InboundPolicies.contributor(ApiConfig::inbound, null, events)));
        int status; // streamed (nothing holds the body): the head may already be out, then the response is cut off
        try {
            status = gw.get("/acme/v1/export", "X-Portcullis-Key", "k1").statusCode();
        } catch (java.io.IOException cutOff) {
            status = -1;
        }
        assertThat(status).isIn(502, -1);
        assertThat(gw.awaitExchanges(1).getFirst().exchange().findings())
                .anySatisfy(f -> assertThat(f.type()).isEqualTo("DECOMPRESSION_BOMB"));
    }
}

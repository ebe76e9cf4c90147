package io.portcullis.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoverCommandTest {
    private static final String SPEC = """
            openapi: 3.0.3
            info: {title: Shop, version: "1"}
            servers: [{url: "https://api.shop.test/v2"}]
            paths:
              /orders/{order}:
                get:
                  parameters: [{name: order, in: path, required: true, schema: {type: integer}}]
                  responses: {"200": {description: OK}}
              /orders/search:
                get: {responses: {"200": {description: OK}}}
              /refunds:
                post: {deprecated: true, responses: {"200": {description: OK}}}
            """;

    private static String auditLine(String host, String method, String path, String ts) {
        return "{\"@timestamp\":\"" + ts + "\",\"http\":{\"request\":{\"method\":\"" + method + "\"},\"response\":{\"status_code\":200}},"
                + "\"url\":{\"domain\":\"" + host + "\",\"path\":\"" + path + "\"},\"portcullis\":{\"app\":\"billing\",\"data_classes\":[\"email\"]}}\n";
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = new CommandLine(new DiscoverCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))).execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void learnsFromHarAndAuditLogLabelsAgainstTheCatalogAndExportsOpenApi(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("shop.yaml"), SPEC);
        Path log = Files.writeString(dir.resolve("audit.log"),
                auditLine("api.shop.test", "GET", "/v2/orders/1001", "2026-11-20T10:00:00Z")
                        + auditLine("api.shop.test", "GET", "/v2/orders/1002", "2026-11-21T10:00:00Z")
                        + "garbage line\n"
                        + auditLine("api.shop.test", "POST", "/v2/refunds", "2026-11-21T11:00:00Z"));
        Path har = Files.writeString(dir.resolve("browser.har"), """
                {"log":{"version":"1.2","entries":[{"startedDateTime":"2026-11-21T12:00:00Z",
                 "request":{"method":"GET","url":"https://api.other.test/v1/widgets/42","headers":[{"name":"Authorization","value":"Bearer s3cr3t-token"}],"queryString":[]},
                 "response":{"status":404,"headers":[],"content":{"mimeType":"application/json","text":"{}"}}}]}}
                """);
        Path out = dir.resolve("openapi");
        Run r = run("--catalog", spec.toString(), "--openapi", out.toString(), log.toString(), har.toString());
        assertThat(r.code()).isZero();
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : r.out().split("\n")) lines.add(m.readTree(l));
        assertThat(lines).hasSize(4);
        JsonNode orders = lines.stream().filter(n -> n.path("path").asText().equals("/v2/orders/{orderId}")).findFirst().orElseThrow();
        assertThat(orders.path("host").asText()).isEqualTo("api.shop.test");
        assertThat(orders.path("method").asText()).isEqualTo("GET");
        assertThat(orders.path("requests").asLong()).isEqualTo(2);
        assertThat(orders.path("statuses").path("200").asLong()).isEqualTo(2);
        assertThat(orders.path("dataClasses").get(0).asText()).isEqualTo("email");
        assertThat(orders.path("label").asText()).isEqualTo("documented");
        assertThat(lines).anySatisfy(n -> {
            assertThat(n.path("path").asText()).isEqualTo("/v2/refunds");
            assertThat(n.path("label").asText()).isEqualTo("zombie");
            assertThat(n.path("reason").asText()).contains("deprecated");
        });
        assertThat(lines).anySatisfy(n -> {
            assertThat(n.path("host").asText()).isEqualTo("api.other.test");
            assertThat(n.path("path").asText()).isEqualTo("/v1/widgets/{widgetId}");
            assertThat(n.path("label").asText()).isEqualTo("shadow");
            assertThat(n.path("authSchemes").get(0).asText()).isEqualTo("Bearer");
        });
        assertThat(lines.getLast().path("label").asText()).isEqualTo("orphan");
        assertThat(lines.getLast().path("path").asText()).isEqualTo("/v2/orders/search");
        assertThat(r.out()).doesNotContain("s3cr3t-token");
        assertThat(r.err()).contains("skipped 1 unusable line(s)/entries, first at 3")
                .contains("4 requests (1 skipped) from 2 input(s): 3 operations on 2 host(s); 1 shadow, 1 zombie, 0 drift, 1 documented, 1 orphan");
        assertThat(r.err().strip().lines().toList().getLast()).startsWith("discover: 4 requests");
        assertThat(out.resolve("api.shop.test.openapi.json")).exists();
        assertThat(out.resolve("api.other.test.openapi.json")).exists();
    }

    @Test
    void badInputsFailWithAClearMessageAndExitCode2(@TempDir Path dir) throws Exception {
        Run missing = run(dir.resolve("nope.har").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.har: no such readable file").doesNotContain("Exception");

        Path badHar = Files.writeString(dir.resolve("bad.har"), "{\"log\":{\"entries\":[{\"request\":");
        Run malformed = run(badHar.toString());
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("bad.har: malformed HAR JSON").doesNotContain("\tat ");

        Path badSpec = Files.writeString(dir.resolve("bad.yaml"), "just: text\n");
        Path log = Files.writeString(dir.resolve("a.log"), "");
        Run spec = run("--catalog", badSpec.toString(), log.toString());
        assertThat(spec.code()).isEqualTo(2);
        assertThat(spec.err()).contains("bad.yaml").contains("not an OpenAPI 3.x or Swagger 2.0 document");

        Run noInput = run();
        assertThat(noInput.code()).isEqualTo(2);
    }
}

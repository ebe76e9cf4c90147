package io.portcullis.discovery.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.discovery.traffic.InventorySnapshot;
import io.portcullis.discovery.traffic.ObservedRequest;
import io.portcullis.discovery.traffic.TrafficLearner;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiExporterTest {

    @Test
    void writesOneValidOpenApi31DocumentPerHost(@TempDir Path dir) throws Exception {
        ObjectMapper m = new ObjectMapper();
        TrafficLearner l = new TrafficLearner();
        for (int i = 0; i < 3; i++) {
            l.observe(new ObservedRequest(1_700_000_000_000L + i, "api.stripe.test", "GET", "/v1/customers/cus_NffrFeUfNV2Hi" + i,
                    List.of("expand"), 200, null, "application/json", "checkout", List.of("email"), "Bearer", null,
                    m.readTree("{\"id\":\"cus_1\",\"email\":\"a@b.c\",\"balance\":0}"), null, null));
        }
        l.observe(ObservedRequest.of("api.stripe.test", "POST", "/v1/customers"));
        l.observe(ObservedRequest.of("slack.test", "POST", "/api/chat.postMessage"));
        l.observe(ObservedRequest.of("desk.test", "GET", "/stats/2024-01-05/tickets/123e4567-e89b-12d3-a456-426614174000"));
        InventorySnapshot inv = l.snapshot();
        List<Path> files = new OpenApiExporter().write(dir, inv.operations(), null);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("api.stripe.test.openapi.json", "desk.test.openapi.json", "slack.test.openapi.json");
        for (Path f : files) {
            SwaggerParseResult r = new OpenAPIParser().readLocation(f.toUri().toString(), null, null);
            assertThat(r.getMessages()).as(f.toString()).isEmpty();
            OpenAPI api = r.getOpenAPI();
            assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        }
        JsonNode stripe = m.readTree(Files.readString(dir.resolve("api.stripe.test.openapi.json")));
        JsonNode get = stripe.path("paths").path("/v1/customers/{customerId}").path("get");
        assertThat(get.path("parameters").get(0).path("name").asText()).isEqualTo("customerId");
        assertThat(get.path("parameters").get(1).path("name").asText()).isEqualTo("expand");
        assertThat(get.path("parameters").get(1).path("required").asBoolean()).isTrue();
        assertThat(get.path("responses").path("200").path("content").path("application/json").path("schema").path("properties").has("balance")).isTrue();
        assertThat(get.path("x-portcullis-requests").asLong()).isEqualTo(3);
        assertThat(get.path("x-portcullis-data-classes").get(0).asText()).isEqualTo("email");
        assertThat(stripe.toString()).doesNotContain("a@b.c").doesNotContain("cus_NffrFeUfNV2Hi0");
        JsonNode desk = m.readTree(Files.readString(dir.resolve("desk.test.openapi.json")));
        JsonNode params = desk.path("paths").path("/stats/{date}/tickets/{ticketId}").path("get").path("parameters");
        assertThat(params.get(0).path("schema").path("format").asText()).isEqualTo("date");
        assertThat(params.get(1).path("schema").path("format").asText()).isEqualTo("uuid");
    }
}

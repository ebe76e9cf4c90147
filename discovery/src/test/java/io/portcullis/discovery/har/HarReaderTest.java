package io.portcullis.discovery.har;

import io.portcullis.discovery.traffic.ObservedRequest;
import io.portcullis.discovery.traffic.ReadResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HarReaderTest {
    private static final String SECRET = "sk_live_51HcQmRk2eZvKYlo2C0123456789abcdef";

    private static String har(String entries) {
        return "{\"log\":{\"version\":\"1.2\",\"creator\":{\"name\":\"test\",\"version\":\"1\"},\"entries\":[" + entries + "]}}";
    }

    private static String entry(String method, String url, String reqHeaders, String post, int status, String respHeaders, String content) {
        return "{\"startedDateTime\":\"2026-11-20T09:00:00.000+01:00\",\"request\":{\"method\":\"" + method + "\",\"url\":\"" + url
                + "\",\"httpVersion\":\"HTTP/1.1\",\"headers\":[" + reqHeaders + "],\"queryString\":[]" + post + "},"
                + "\"response\":{\"status\":" + status + ",\"headers\":[" + respHeaders + "],\"content\":" + content + "}}";
    }

    private static List<ObservedRequest> read(String har, ReadResult[] result) throws IOException {
        List<ObservedRequest> out = new ArrayList<>();
        result[0] = new HarReader().read(new ByteArrayInputStream(har.getBytes(StandardCharsets.UTF_8)), out::add);
        return out;
    }

    @Test
    void readsRequestResponseAndBodiesButKeepsOnlyTheAuthScheme() throws IOException {
        String e = entry("post", "https://api.stripe.com/v1/charges?expand[]=customer&limit=3",
                "{\"name\":\"Authorization\",\"value\":\"Bearer " + SECRET + "\"},{\"name\":\"Content-Type\",\"value\":\"application/json\"}",
                ",\"postData\":{\"mimeType\":\"application/json\",\"text\":\"{\\\"amount\\\":100}\"}", 200,
                "{\"name\":\"Deprecation\",\"value\":\"@1735689600\"}",
                "{\"mimeType\":\"application/json; charset=utf-8\",\"text\":\"" + Base64.getEncoder().encodeToString("{\"id\":\"ch_1\"}".getBytes(StandardCharsets.UTF_8))
                        + "\",\"encoding\":\"base64\"}");
        ReadResult[] r = new ReadResult[1];
        List<ObservedRequest> out = read(har(e), r);
        assertThat(r[0]).isEqualTo(new ReadResult(1, 0, 0));
        ObservedRequest q = out.getFirst();
        assertThat(q.host()).isEqualTo("api.stripe.com");
        assertThat(q.method()).isEqualTo("POST");
        assertThat(q.path()).isEqualTo("/v1/charges");
        assertThat(q.queryNames()).containsExactly("expand[]", "limit");
        assertThat(q.authScheme()).isEqualTo("Bearer");
        assertThat(q.requestBody().path("amount").asInt()).isEqualTo(100);
        assertThat(q.responseBody().path("id").asText()).isEqualTo("ch_1");
        assertThat(q.responseType()).isEqualTo("application/json");
        assertThat(q.deprecation()).isEqualTo("@1735689600");
        assertThat(q.epochMillis()).isEqualTo(java.time.Instant.parse("2026-11-20T08:00:00Z").toEpochMilli());
        assertThat(q.toString()).doesNotContain(SECRET);
    }

    @Test
    void apiKeyHeadersAndQueryKeysNameTheSchemeNotTheKey() throws IOException {
        String a = entry("GET", "https://api.example.com/items", "{\"name\":\"X-API-Key\",\"value\":\"" + SECRET + "\"}", "", 200, "", "{\"mimeType\":\"text/plain\",\"text\":\"ok\"}");
        String b = entry("GET", "https://maps.example.com:8443/geo?api_key=" + SECRET, "", "", 200, "", "{\"mimeType\":\"text/plain\"}");
        ReadResult[] r = new ReadResult[1];
        List<ObservedRequest> out = read(har(a + "," + b), r);
        assertThat(out.get(0).authScheme()).isEqualTo("apiKey:header:x-api-key");
        assertThat(out.get(1).authScheme()).isEqualTo("apiKey:query:api_key");
        assertThat(out.get(1).host()).isEqualTo("maps.example.com:8443");
        assertThat(out.toString()).doesNotContain(SECRET);
    }

    @Test
    void entriesWithoutAnAbsoluteHttpUrlAreSkippedAndCounted() throws IOException {
        String ok = entry("GET", "https://a.test/x", "", "", 200, "", "{\"mimeType\":\"text/plain\"}");
        String relative = entry("GET", "/relative/path", "", "", 200, "", "{}");
        String ws = entry("GET", "wss://a.test/socket", "", "", 101, "", "{}");
        ReadResult[] r = new ReadResult[1];
        read(har(ok + "," + relative + "," + ws + ",{}"), r);
        assertThat(r[0]).isEqualTo(new ReadResult(1, 3, 2));
    }

    @Test
    void nonHarInputIsRejectedWithAClearMessage() {
        assertThatThrownBy(() -> read("{\"openapi\":\"3.0.0\"}", new ReadResult[1]))
                .isInstanceOf(HarReader.HarFormatException.class).hasMessageContaining("no log.entries");
        assertThatThrownBy(() -> read("[1,2]", new ReadResult[1]))
                .isInstanceOf(HarReader.HarFormatException.class).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> read(har(entry("GET", "https://a.test/x", "", "", 200, "", "{}")).substring(0, 80), new ReadResult[1]))
                .isInstanceOf(HarReader.HarFormatException.class).hasMessageContaining("malformed HAR JSON at line 1");
    }

    @Test
    void formatIsDetectedFromContent() {
        byte[] h = "  {\n \"log\": {}}".getBytes(StandardCharsets.UTF_8);
        byte[] a = "{\"@timestamp\":\"x\"}\n".getBytes(StandardCharsets.UTF_8);
        assertThat(HarReader.looksLikeHar(h, h.length)).isTrue();
        assertThat(HarReader.looksLikeHar(a, a.length)).isFalse();
    }
}

package io.portcullis.discovery.traffic;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogReaderTest {
    private static final String NESTED = "{\"@timestamp\":\"2026-11-22T10:15:30.250Z\",\"event\":{\"kind\":\"event\"},"
            + "\"http\":{\"request\":{\"method\":\"post\",\"mime_type\":\"application/json; charset=utf-8\"},"
            + "\"response\":{\"status_code\":201,\"mime_type\":\"application/json\",\"headers\":{\"deprecation\":\"true\",\"sunset\":\"Wed, 31 Dec 2026 23:59:59 GMT\"}}},"
            + "\"url\":{\"domain\":\"API.Stripe.com\",\"path\":\"/v1/charges\",\"query\":\"expand%5B%5D=REDACTED&limit=REDACTED\"},"
            + "\"portcullis\":{\"app\":\"checkout\",\"vendor\":\"stripe\",\"api\":\"payments\",\"data_classes\":[\"card_number\",\"email\"],\"auth_scheme\":\"Bearer\"}}";

    private record Read(List<ObservedRequest> requests, ReadResult result) {
    }

    private static Read read(String text) throws IOException {
        List<ObservedRequest> out = new ArrayList<>();
        ReadResult r = new AuditLogReader().read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out::add);
        return new Read(out, r);
    }

    @Test
    void readsNestedEcsFields() throws IOException {
        Read r = read(NESTED + "\n");
        assertThat(r.result()).isEqualTo(new ReadResult(1, 0, 0));
        ObservedRequest q = r.requests().getFirst();
        assertThat(q.epochMillis()).isEqualTo(java.time.Instant.parse("2026-11-22T10:15:30.250Z").toEpochMilli());
        assertThat(q.host()).isEqualTo("api.stripe.com");
        assertThat(q.method()).isEqualTo("POST");
        assertThat(q.path()).isEqualTo("/v1/charges");
        assertThat(q.queryNames()).containsExactly("expand[]", "limit");
        assertThat(q.status()).isEqualTo(201);
        assertThat(q.requestType()).isEqualTo("application/json");
        assertThat(q.app()).isEqualTo("checkout");
        assertThat(q.dataClasses()).containsExactly("card_number", "email");
        assertThat(q.authScheme()).isEqualTo("Bearer");
        assertThat(q.deprecation()).isEqualTo("true");
        assertThat(q.sunset()).startsWith("Wed, 31 Dec 2026");
    }

    @Test
    void readsDottedFieldNamesAndFullUrlFallback() throws IOException {
        Read r = read("{\"http.request.method\":\"GET\",\"url.full\":\"https://api.twilio.com/2010-04-01/Accounts.json?PageSize=REDACTED\","
                + "\"http.response.status_code\":\"200\",\"@timestamp\":\"2026-11-22T10:15:30+02:00\"}");
        ObservedRequest q = r.requests().getFirst();
        assertThat(q.host()).isEqualTo("api.twilio.com");
        assertThat(q.path()).isEqualTo("/2010-04-01/Accounts.json");
        assertThat(q.queryNames()).containsExactly("PageSize");
        assertThat(q.status()).isEqualTo(200);
        assertThat(q.epochMillis()).isEqualTo(java.time.Instant.parse("2026-11-22T08:15:30Z").toEpochMilli());
    }

    @Test
    void unusableLinesAreSkippedAndCountedWithTheFirstLineNumber() throws IOException {
        String text = String.join("\n",
                NESTED,
                "",                                                   // blank: neither request nor skipped
                "not json at all",                                    // 3
                "{\"http\":{\"request\":{\"method\":\"GET\"}",        // 4 truncated
                NESTED + " trailing",                                 // 5 trailing garbage
                "{\"url\":{\"domain\":\"a.test\"}}",                  // 6 no method/path
                "[1,2,3]",                                            // 7 not an object
                "{\"http\":{\"request\":{\"method\":\"GET\"}},",      // 8 object continued on the next line
                "\"url\":{\"domain\":\"a.test\",\"path\":\"/x\"}}",   // 9
                NESTED);
        Read r = read(text);
        assertThat(r.result()).isEqualTo(new ReadResult(2, 7, 3));
    }

    @Test
    void linesAtTheLengthLimitAreReadAndLongerOnesSkipped() throws IOException {
        String head = "{\"http\":{\"request\":{\"method\":\"GET\"}},\"url\":{\"domain\":\"a.test\",\"path\":\"/x\"},\"pad\":\"";
        String tail = "\"}";
        String exact = head + "x".repeat(AuditLogReader.MAX_LINE - head.length() - tail.length()) + tail;
        assertThat(exact.length()).isEqualTo(AuditLogReader.MAX_LINE);
        String over = head + "x".repeat(AuditLogReader.MAX_LINE - head.length() - tail.length() + 1) + tail;
        Read r = read(exact + "\n" + over + "\n" + NESTED);
        assertThat(r.result()).isEqualTo(new ReadResult(2, 1, 2));
        assertThat(r.requests().get(1).host()).isEqualTo("api.stripe.com");
    }

    @Test
    void aBadLineInsideALargeBlockKeepsOrderCountsAndLineNumbers() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 2_000; i++) {
            if (i == 700 || i == 1_500) sb.append("{oops\n");
            else sb.append("{\"http\":{\"request\":{\"method\":\"GET\"}},\"url\":{\"domain\":\"a.test\",\"path\":\"/items/").append(i).append("\"}}\n");
        }
        Read r = read(sb.toString());
        assertThat(r.result()).isEqualTo(new ReadResult(1_998, 2, 700));
        assertThat(r.requests().get(698).path()).isEqualTo("/items/699");
        assertThat(r.requests().get(699).path()).isEqualTo("/items/701");
        assertThat(r.requests().getLast().path()).isEqualTo("/items/2000");
    }

    @Test
    void noTrailingNewlineAndCrLfAreFine() throws IOException {
        Read r = read(NESTED + "\r\n" + NESTED);
        assertThat(r.result()).isEqualTo(new ReadResult(2, 0, 0));
    }
}

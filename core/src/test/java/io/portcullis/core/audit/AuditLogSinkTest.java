package io.portcullis.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.core.event.Decision;
import io.portcullis.core.event.Direction;
import io.portcullis.core.event.EventBus;
import io.portcullis.core.event.ExchangeEvent;
import io.portcullis.core.event.FindingRecord;
import io.portcullis.core.event.SecurityEvent;
import io.portcullis.core.event.Severity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    // Planted secrets: none of these values may appear anywhere in the audit files.
    private static final String QUERY_SECRET = "qv-7f3a9c1e55d2";
    private static final String BEARER = "abcDEF1234567890tokenvalue";
    private static final String API_KEY = "ak_9f8e7d6c5b4a3210";
    private static final String COOKIE = "sess-3141592653589793";
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJlLXZhbHVl";

    static ExchangeEvent exchange(int i) {
        return ExchangeEvent.builder(Instant.parse("2026-11-22T10:00:00Z").plusMillis(i), "req-" + i, Direction.OUTBOUND)
                .app("billing").vendor("stripe").api("charges").method("POST").path("/v1/charges")
                .query("customer=" + QUERY_SECRET + "&expand=true&flag").host("api.stripe.com").status(201)
                .durationNanos(1_234_567).bytesIn(321).bytesOut(654).protocol("HTTP/1.1").clientAddress("10.0.0.7")
                .authScheme("bearer").decision(Decision.allow("allowlist"))
                .decision(Decision.deny("dlp", "card number in body"))
                .finding(new FindingRecord("dlp", "credit_card", "pci", "body.$.card", "4111********1111"))
                .dataClass("pci.pan")
                .attribute("upstream_authorization", "Bearer " + BEARER)
                .attribute("x-api-key", API_KEY)
                .attribute("cookie", COOKIE)
                .attribute("route", "stripe-charges")
                .error("upstream said: invalid token=" + BEARER + " and jwt " + JWT)
                .build();
    }

    private static AuditLogSink.Options options(Path dir) {
        return AuditLogSink.Options.defaults(dir.resolve("audit.jsonl"));
    }

    @Test
    void exchangeRecordsCarryEcsFieldsAndNoPlantedSecret(@TempDir Path dir) throws Exception {
        try (AuditLogSink sink = new AuditLogSink(options(dir))) {
            sink.accept(exchange(1));
            sink.accept(new SecurityEvent(Instant.parse("2026-11-22T10:00:01Z"), SecurityEvent.PIN_MISMATCH,
                    Severity.HIGH, "stripe", "charges", null, "pin mismatch for api.stripe.com",
                    Map.of("actual_pins", "sha256/AAAA", "client_secret", "cs-" + QUERY_SECRET)));
        }
        String file = Files.readString(dir.resolve("audit.jsonl"));
        for (String secret : List.of(QUERY_SECRET, BEARER, API_KEY, COOKIE, JWT)) {
            assertThat(file).as("planted secret %s", secret).doesNotContain(secret);
        }
        List<String> lines = file.lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode x = JSON.readTree(lines.get(0));
        assertThat(x.path("@timestamp").asText()).isEqualTo("2026-11-22T10:00:00.001Z");
        assertThat(x.path("event").path("kind").asText()).isEqualTo("event");
        assertThat(x.path("event").path("category").get(0).asText()).isEqualTo("web");
        assertThat(x.path("event").path("outcome").asText()).isEqualTo("failure"); // it carries an error
        assertThat(x.path("event").path("type").toString()).isEqualTo("[\"access\",\"denied\",\"error\"]");
        assertThat(x.path("event").path("duration").asLong()).isEqualTo(1_234_567);
        assertThat(x.path("event").path("action").asText()).isEqualTo("outbound-exchange");
        assertThat(x.path("http").path("request").path("id").asText()).isEqualTo("req-1");
        assertThat(x.path("http").path("request").path("method").asText()).isEqualTo("POST");
        assertThat(x.path("http").path("request").path("bytes").asLong()).isEqualTo(321);
        assertThat(x.path("http").path("response").path("status_code").asInt()).isEqualTo(201);
        assertThat(x.path("http").path("response").path("bytes").asLong()).isEqualTo(654);
        assertThat(x.path("http").path("version").asText()).isEqualTo("1.1");
        assertThat(x.path("url").path("domain").asText()).isEqualTo("api.stripe.com");
        assertThat(x.path("url").path("path").asText()).isEqualTo("/v1/charges");
        assertThat(x.path("url").path("query").asText()).isEqualTo("customer=REDACTED&expand=REDACTED&flag");
        assertThat(x.path("source").path("address").asText()).isEqualTo("10.0.0.7");
        JsonNode p = x.path("portcullis");
        assertThat(p.path("app").asText()).isEqualTo("billing");
        assertThat(p.path("vendor").asText()).isEqualTo("stripe");
        assertThat(p.path("api").asText()).isEqualTo("charges");
        assertThat(p.path("direction").asText()).isEqualTo("outbound");
        assertThat(p.path("auth_scheme").asText()).isEqualTo("bearer");
        assertThat(p.path("decisions").get(1).path("policy").asText()).isEqualTo("dlp");
        assertThat(p.path("decisions").get(1).path("outcome").asText()).isEqualTo("deny");
        assertThat(p.path("decisions").get(1).path("reason").asText()).isEqualTo("card number in body");
        assertThat(p.path("findings").get(0).path("detail").asText()).isEqualTo("4111********1111");
        assertThat(p.path("data_classes").get(0).asText()).isEqualTo("pci.pan");
        assertThat(p.path("attributes").path("x-api-key").asText()).isEqualTo("REDACTED");
        assertThat(p.path("attributes").path("route").asText()).isEqualTo("stripe-charges");
        assertThat(x.path("error").path("message").asText()).contains("REDACTED").startsWith("upstream said");
        assertThat(p.path("chain").path("seq").asLong()).isEqualTo(1);
        assertThat(p.path("chain").path("prev").asText()).isEqualTo(AuditChain.GENESIS);

        JsonNode a = JSON.readTree(lines.get(1));
        assertThat(a.path("event").path("kind").asText()).isEqualTo("alert");
        assertThat(a.path("event").path("action").asText()).isEqualTo("PIN_MISMATCH");
        assertThat(a.path("event").path("severity").asInt()).isEqualTo(4);
        assertThat(a.path("message").asText()).isEqualTo("pin mismatch for api.stripe.com");
        assertThat(a.path("portcullis").path("attributes").path("actual_pins").asText()).isEqualTo("sha256/AAAA");
        assertThat(a.path("portcullis").path("attributes").path("client_secret").asText()).isEqualTo("REDACTED");
        assertThat(a.path("portcullis").path("chain").path("prev").asText())
                .isEqualTo(p.path("chain").path("hash").asText());
    }

    @Test
    void failedAndAbortedExchangesAreMarkedAsFailures(@TempDir Path dir) throws Exception {
        try (AuditLogSink sink = new AuditLogSink(options(dir))) {
            sink.accept(ExchangeEvent.builder("r-abort", Direction.INBOUND).method("GET").path("/hook")
                    .protocol("h2").error("client went away").build());
            sink.accept(ExchangeEvent.builder("r-ok", Direction.OUTBOUND).status(204).build());
        }
        List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"));
        JsonNode ok = JSON.readTree(lines.get(1));
        assertThat(ok.path("event").path("outcome").asText()).isEqualTo("success");
        assertThat(ok.path("event").path("type").toString()).isEqualTo("[\"access\",\"allowed\"]");
        JsonNode x = JSON.readTree(lines.getFirst());
        assertThat(x.path("event").path("outcome").asText()).isEqualTo("failure");
        assertThat(x.path("http").path("response").has("status_code")).isFalse();
        assertThat(x.path("http").path("version").asText()).isEqualTo("2");
        assertThat(x.path("portcullis").path("direction").asText()).isEqualTo("inbound");
    }

    @Test
    void rotatesBySizeKeepsNFilesAndChainsAcrossFiles(@TempDir Path dir) throws Exception {
        AuditLogSink.Options o = options(dir).withMaxFileBytes(8 * 1024).withKeepFiles(3);
        try (AuditLogSink sink = new AuditLogSink(o)) {
            for (int i = 0; i < 40; i++) {
                sink.accept(exchange(i));
            }
        }
        Path active = dir.resolve("audit.jsonl");
        List<Path> files = AuditVerifier.rotationOrder(List.of(dir));
        assertThat(files).containsExactly(dir.resolve("audit.jsonl.3"), dir.resolve("audit.jsonl.2"),
                dir.resolve("audit.jsonl.1"), active);
        assertThat(dir.resolve("audit.jsonl.4")).doesNotExist();
        for (Path f : files) {
            assertThat(Files.size(f)).isLessThanOrEqualTo(8 * 1024);
        }
        AuditVerifier.Result r = new AuditVerifier(null, false).verify(files);
        assertThat(r).isInstanceOf(AuditVerifier.Intact.class);
        AuditVerifier.Intact ok = (AuditVerifier.Intact) r;
        assertThat(ok.lastSeq()).isEqualTo(40);
        assertThat(ok.fromGenesis()).isFalse(); // the oldest files were rotated away
        // the first record of each file links to the last record of the file before it
        for (int i = 1; i < files.size(); i++) {
            List<String> before = Files.readAllLines(files.get(i - 1));
            JsonNode last = JSON.readTree(before.getLast()).path("portcullis").path("chain");
            JsonNode first = JSON.readTree(Files.readAllLines(files.get(i)).getFirst()).path("portcullis").path("chain");
            assertThat(first.path("prev").asText()).isEqualTo(last.path("hash").asText());
            assertThat(first.path("seq").asLong()).isEqualTo(last.path("seq").asLong() + 1);
        }
    }

    @Test
    void reopeningResumesTheChainFromTheExistingFile(@TempDir Path dir) throws Exception {
        try (AuditLogSink sink = new AuditLogSink(options(dir))) {
            sink.accept(exchange(1));
            sink.accept(exchange(2));
        }
        try (AuditLogSink sink = new AuditLogSink(options(dir))) {
            assertThat(sink.lastSeq()).isEqualTo(2);
            sink.accept(exchange(3));
        }
        AuditVerifier.Result r = new AuditVerifier(null, true).verify(List.of(dir.resolve("audit.jsonl")));
        assertThat(r.summary()).startsWith("OK: 3 records");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void aPartialLineLeftByACrashIsKeptAndReportedNotHidden(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLogSink sink = new AuditLogSink(options(dir))) {
            sink.accept(exchange(1));
        }
        Files.writeString(file, "{\"@timestamp\":\"2026-", java.nio.file.StandardOpenOption.APPEND);
        try (AuditLogSink sink = new AuditLogSink(options(dir))) {
            assertThat(sink.lastSeq()).isEqualTo(1);
            sink.accept(exchange(2));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        AuditVerifier.Result r = new AuditVerifier(null, false).verify(List.of(file));
        assertThat(r).isInstanceOfSatisfying(AuditVerifier.Broken.class, b -> {
            assertThat(b.problem()).isEqualTo(AuditVerifier.Problem.MALFORMED);
            assertThat(b.line()).isEqualTo(2);
        });
    }

    @Test
    void recordsAreFlushedOnTickAndCloseThroughTheBus(@TempDir Path dir) throws Exception {
        AuditLogSink sink = new AuditLogSink(options(dir).withFlushInterval(Duration.ofMillis(1)));
        EventBus bus = EventBus.builder().tickInterval(Duration.ofMillis(5)).sink(sink).start();
        bus.publish(exchange(1));
        Path file = dir.resolve("audit.jsonl");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Files.size(file) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(Files.size(file)).isPositive(); // flushed by tick while the bus is still running
        for (int i = 2; i <= 100; i++) {
            bus.publish(exchange(i));
        }
        assertThat(bus.close(Duration.ofSeconds(60))).isTrue();
        assertThat(Files.readAllLines(file)).hasSize(100);
        assertThat(new AuditVerifier(null, true).verify(List.of(file)).exitCode()).isZero();
    }

    @Test
    void hostileStringsStillProduceOneValidJsonLine(@TempDir Path dir) throws Exception {
        String nasty = "a\"b\\c\nd\u0000e\ud800f\u2028g";
        try (AuditLogSink sink = new AuditLogSink(options(dir))) {
            sink.accept(ExchangeEvent.builder(Instant.EPOCH, nasty, Direction.OUTBOUND).path("/" + nasty)
                    .query(nasty + "=" + nasty).app(nasty).attribute(nasty, nasty).error("x".repeat(100_000)).build());
        }
        List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        JsonNode x = JSON.readTree(lines.getFirst());
        assertThat(x.path("error").path("message").asText()).hasSizeLessThanOrEqualTo(EcsAuditFormat.MAX_TEXT)
                .endsWith("[truncated]");
        assertThat(x.path("portcullis").path("app").asText()).isEqualTo("a\"b\\c\nd\u0000e\ufffdf\u2028g");
        assertThat(new AuditVerifier(null, true).verify(List.of(dir.resolve("audit.jsonl"))).exitCode()).isZero();
    }

    @Test
    void aRecordLargerThanTheFileLimitGoesWholeIntoAFreshFile(@TempDir Path dir) throws Exception {
        AuditLogSink.Options o = options(dir).withMaxFileBytes(4096).withKeepFiles(5);
        try (AuditLogSink sink = new AuditLogSink(o)) {
            sink.accept(exchange(1));
            ExchangeEvent.Builder big = ExchangeEvent.builder(Instant.EPOCH, "big", Direction.OUTBOUND);
            for (int i = 0; i < 20; i++) {
                big.attribute("note" + i, "n".repeat(500));
            }
            sink.accept(big.build());
            sink.accept(exchange(3));
        }
        assertThat(Files.readAllLines(dir.resolve("audit.jsonl.1"))).hasSize(1);
        assertThat(Files.size(dir.resolve("audit.jsonl.1"))).isGreaterThan(4096);
        assertThat(new AuditVerifier(null, true).verify(AuditVerifier.rotationOrder(List.of(dir))).exitCode()).isZero();
    }

    /** Many producers, a small queue, a rotating sink: whatever got in is written whole, in an unbroken chain. */
    @Test
    void concurrentProducersThroughTheBusYieldAnUnbrokenChainAndCountedDrops(@TempDir Path dir) throws Exception {
        AuditLogSink sink = new AuditLogSink(options(dir).withMaxFileBytes(64 * 1024).withKeepFiles(1000));
        EventBus bus = EventBus.builder().capacity(64).reportInterval(Duration.ofMillis(5)).sink(sink).start();
        List<Thread> producers = new java.util.ArrayList<>();
        for (int p = 0; p < 4; p++) {
            int id = p;
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    bus.publish(exchange(id * 10_000 + i));
                }
            }));
        }
        for (Thread t : producers) {
            t.join();
        }
        assertThat(bus.close(Duration.ofSeconds(60))).isTrue();
        List<Path> files = AuditVerifier.rotationOrder(List.of(dir));
        AuditVerifier.Result r = new AuditVerifier(null, true).verify(files);
        assertThat(r).isInstanceOf(AuditVerifier.Intact.class);
        long exchanges = 0;
        long reportedDrops = 0;
        for (Path f : files) {
            for (String l : Files.readAllLines(f)) {
                JsonNode n = JSON.readTree(l);
                if (n.path("event").path("kind").asText().equals("event")) {
                    exchanges++;
                } else if (n.path("event").path("action").asText().equals(SecurityEvent.EVENT_BUS_OVERFLOW)) {
                    reportedDrops += n.path("portcullis").path("attributes").path("dropped_since_last_report").asLong();
                }
            }
        }
        assertThat(exchanges).isEqualTo(bus.published());
        assertThat(exchanges + bus.droppedTotal()).isEqualTo(8_000);
        assertThat(reportedDrops).isEqualTo(bus.droppedTotal()); // every drop reported in the trail itself
        assertThat(bus.sinkFailures()).containsEntry("audit", 0L);
    }

    @Test
    void optionsRejectOutOfRangeValuesWithTheLimit(@TempDir Path dir) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options(dir).withMaxFileBytes(4095))
                .hasMessageContaining("at least 4096");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options(dir).withKeepFiles(0))
                .hasMessageContaining("between 1 and 10000");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options(dir).withChainKey(new byte[15]))
                .hasMessageContaining("at least 16 bytes");
        assertThat(options(dir).withMaxFileBytes(4096).withKeepFiles(1).withChainKey(new byte[16]).keepFiles()).isEqualTo(1);
    }

}

package io.portcullis.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.config.InboundPolicy;
import io.portcullis.core.config.InboundPolicy.Action;
import io.portcullis.core.config.InboundPolicy.Mode;
import io.portcullis.core.config.InboundPolicy.UnknownFields;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class InboundPoliciesTest {
    static final Map<String, String> JSON = Map.of("content-type", "application/json");
    static final String GOOD = "{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":1}";
    static final String BAD = "{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":\"soon\"}";

    static Path spec() {
        try {
            return Path.of(InboundPoliciesTest.class.getResource("/inbound/payments.yaml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static InboundPolicy policy(Mode mode, boolean requests, InboundPolicy.Limits limits) {
        return new InboundPolicy(new InboundPolicy.SchemaPolicy(List.of(spec()), mode, UnknownFields.ALLOW, requests), limits,
                InboundPolicy.Threats.DEFAULT, InboundPolicy.Malware.DEFAULT);
    }

    static byte[] gzip(byte[] b) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aConformingResponsePassesUnchanged() throws Exception {
        var chain = InboundPolicies.forApi(policy(Mode.ENFORCE, false, InboundPolicy.Limits.DEFAULT), null, new InboundChain.RecordingEvents());
        var o = InboundChain.respond(chain, InboundChain.exchange("GET", "/v1/customers/cus_1"), 200, JSON, utf8(GOOD));
        assertThat(o.passed()).isTrue();
        assertThat(new String(o.body(), StandardCharsets.UTF_8)).isEqualTo(GOOD);
        assertThat(o.exchange().findings()).isEmpty();
    }

    @Test
    void enforceTurnsAContractViolationInto502WithPathsNotValues() throws Exception {
        var chain = InboundPolicies.forApi(policy(Mode.ENFORCE, false, InboundPolicy.Limits.DEFAULT), null, new InboundChain.RecordingEvents());
        var o = InboundChain.respond(chain, InboundChain.exchange("GET", "/v1/customers/cus_1"), 200, JSON, utf8(BAD));
        assertThat(o.problem().status()).isEqualTo(502);
        assertThat(o.problem().type()).isEqualTo("response-contract");
        String json = new String(o.problem().toJson("r"), StandardCharsets.UTF_8);
        assertThat(json).contains("$.created").contains("SCHEMA_VIOLATION").doesNotContain("soon");
        assertThat(o.exchange().findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("schema");
            assertThat(f.path()).isEqualTo("body.$.created");
            assertThat(f.detail()).doesNotContain("soon");
        });
    }

    @Test
    void reportModeRecordsFindingsAndLetsTheResponseThrough() throws Exception {
        var chain = InboundPolicies.forApi(policy(Mode.REPORT, false, InboundPolicy.Limits.DEFAULT), null, new InboundChain.RecordingEvents());
        var o = InboundChain.respond(chain, InboundChain.exchange("GET", "/v1/customers/cus_1"), 200, JSON, utf8(BAD));
        assertThat(o.passed()).isTrue();
        assertThat(o.exchange().findings()).extracting(io.portcullis.core.event.FindingRecord::path).containsExactly("body.$.created");
        assertThat(o.exchange().decisions()).anySatisfy(d -> assertThat(d.outcome()).isEqualTo(io.portcullis.core.event.Decision.Outcome.FLAG));
    }

    @Test
    void gzipResponsesAreValidatedOnTheirDecodedContentAndForwardedEncoded() throws Exception {
        var chain = InboundPolicies.forApi(policy(Mode.ENFORCE, false, InboundPolicy.Limits.DEFAULT), null, new InboundChain.RecordingEvents());
        byte[] gz = gzip(utf8(GOOD));
        var o = InboundChain.respond(chain, InboundChain.exchange("GET", "/v1/customers/cus_1"), 200,
                Map.of("content-type", "application/json", "content-encoding", "gzip"), gz);
        assertThat(o.passed()).isTrue();
        assertThat(o.body()).isEqualTo(gz);
        var bad = InboundChain.respond(chain, InboundChain.exchange("GET", "/v1/customers/cus_1"), 200,
                Map.of("content-type", "application/json", "content-encoding", "gzip"), gzip(utf8(BAD)));
        assertThat(bad.problem().status()).isEqualTo(502);
    }

    @Test
    void aDecompressionBombIs502AndASecurityEvent() throws Exception {
        var events = new InboundChain.RecordingEvents();
        var chain = InboundPolicies.forApi(policy(Mode.OFF, false, InboundPolicy.Limits.DEFAULT), null, events);
        byte[] zeros = new byte[8 << 20];
        var o = InboundChain.respond(chain, InboundChain.exchange("GET", "/v1/customers/cus_1"), 200,
                Map.of("content-type", "application/json", "content-encoding", "gzip"), gzip(zeros));
        assertThat(o.problem().status()).isEqualTo(502);
        assertThat(o.problem().type()).isEqualTo("decompression-bomb");
        assertThat(events.security).singleElement().satisfies(e -> assertThat(e).startsWith("decompression-bomb:high:"));
    }

    @Test
    void structuralLimitsBlockOrReportPerAction() throws Exception {
        var tight = new InboundPolicy.Limits(1 << 20, 3, 100, 100, 20, 100, 100, Action.BLOCK);
        String deep = "{\"a\":{\"b\":{\"c\":{\"d\":1}}}}";
        var block = InboundPolicies.forApi(policy(Mode.OFF, false, tight), null, new InboundChain.RecordingEvents());
        var o = InboundChain.respond(block, InboundChain.exchange("GET", "/v1/x"), 200, JSON, utf8(deep));
        assertThat(o.problem().status()).isEqualTo(502);
        assertThat(o.problem().detail()).contains("depth 4 exceeds the limit of 3").contains("$.a.b.c");

        var report = InboundPolicies.forApi(policy(Mode.OFF, false, new InboundPolicy.Limits(1 << 20, 3, 100, 100, 20, 100, 100, Action.REPORT)),
                null, new InboundChain.RecordingEvents());
        var r = InboundChain.respond(report, InboundChain.exchange("GET", "/v1/x"), 200, JSON, utf8(deep));
        assertThat(r.passed()).isTrue();
        assertThat(r.exchange().findings()).singleElement().satisfies(f -> assertThat(f.type()).isEqualTo("DEPTH"));
    }

    @Test
    void requestsAreValidatedWhenAskedAndRejectedWith400() throws Exception {
        List<ExchangePolicy> chain = InboundPolicies.forApi(policy(Mode.ENFORCE, true, InboundPolicy.Limits.DEFAULT), null, new InboundChain.RecordingEvents());
        var x = InboundChain.exchange("POST", "/v1/customers");
        x.request().headers().set("content-type", "application/json").set("idempotency-key", "k1");
        assertThat(InboundChain.request(chain, x, utf8("{\"email\":\"a@b.example\"}"))).isNull();
        var y = InboundChain.exchange("POST", "/v1/customers");
        y.request().headers().set("content-type", "application/json");
        var p = InboundChain.request(chain, y, utf8("{\"name\":\"no email\"}"));
        assertThat(p.status()).isEqualTo(400);
        assertThat(new String(p.toJson("r"), StandardCharsets.UTF_8)).contains("MISSING_PARAMETER").contains("SCHEMA_VIOLATION");
    }

    @Test
    void aBadSpecIsAConfigurationError() {
        var bad = new InboundPolicy(new InboundPolicy.SchemaPolicy(List.of(Path.of("target/none.yaml")), Mode.ENFORCE, UnknownFields.ALLOW, false),
                InboundPolicy.Limits.DEFAULT, InboundPolicy.Threats.DEFAULT, InboundPolicy.Malware.DEFAULT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InboundPolicies.forApi(bad, null, new InboundChain.RecordingEvents()))
                .hasMessageContaining("none.yaml");
    }

    @Test
    void theContributorCachesCompiledContractsAndRejectsBadSpecsAsUnchecked() throws Exception {
        var api = new io.portcullis.core.config.ApiConfig("payments", "core", "/payments", java.net.URI.create("https://api.payments.example"),
                false, List.of(), io.portcullis.core.config.TlsPolicy.defaults(), io.portcullis.core.config.Limits.defaults(),
                java.util.Optional.empty(), new io.portcullis.core.config.ApiConfig.CircuitBreaker(5, java.time.Duration.ofSeconds(30)),
                io.portcullis.core.config.ApiConfig.UpstreamProtocol.AUTO, java.util.Optional.empty(), java.util.Optional.empty(), InboundPolicy.DEFAULT);
        var good = InboundPolicies.contributor(a -> policy(Mode.ENFORCE, false, InboundPolicy.Limits.DEFAULT), null, new InboundChain.RecordingEvents());
        var first = good.apply(api, null);
        var second = good.apply(api, null);
        assertThat(first).extracting(p -> p.getClass().getSimpleName()).as("response order: limits, schema, threats").containsExactly("ThreatPolicy", "SchemaPolicy", "LimitsPolicy");
        var c1 = first.stream().filter(p -> p instanceof SchemaPolicy).findFirst().orElseThrow();
        var c2 = second.stream().filter(p -> p instanceof SchemaPolicy).findFirst().orElseThrow();
        assertThat(((SchemaPolicy) c1).contract()).as("compiled once, reused on reload").isSameAs(((SchemaPolicy) c2).contract());
        var badPolicy = new InboundPolicy(new InboundPolicy.SchemaPolicy(List.of(Path.of("target/none.yaml")), Mode.ENFORCE, UnknownFields.ALLOW, false),
                InboundPolicy.Limits.DEFAULT, InboundPolicy.Threats.DEFAULT, InboundPolicy.Malware.DEFAULT);
        var bad = InboundPolicies.contributor(a -> badPolicy, null, new InboundChain.RecordingEvents());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bad.apply(api, null))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("payments/core").hasMessageContaining("none.yaml");
    }
}

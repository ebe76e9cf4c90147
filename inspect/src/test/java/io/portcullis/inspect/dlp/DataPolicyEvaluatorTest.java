package io.portcullis.inspect.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.config.ConfigNode;
import io.portcullis.core.config.ConfigProblems;
import io.portcullis.core.config.DataPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataPolicyEvaluatorTest {
    private static final DlpEngine ENGINE = DlpEngine.builtIn();

    private static DataPolicy policy(String yaml) {
        var problems = new ConfigProblems("test.yaml");
        var p = DataPolicy.read(ConfigNode.parse(yaml, problems));
        assertThat(problems.list()).isEmpty();
        return p;
    }

    private static List<Finding> scan(String json) {
        return ENGINE.scan(json.getBytes(StandardCharsets.UTF_8));
    }

    private static final String PAYMENT = "{\"card\":{\"number\":\"4539148803436467\"},\"customer\":{\"email\":\"jo@corp.com\"}}";

    @Test
    void noPolicyAlertsOnEverythingSoTheRecordIsComplete() {
        var d = new DataPolicyEvaluator(null).evaluate(scan(PAYMENT));
        assertThat(d).isInstanceOf(DlpDecision.Alert.class);
        assertThat(d.violations()).hasSize(2);
        assertThat(d.recorded()).hasSize(2);
    }

    @Test
    void cardAllowedOnlyAtItsPath() {
        var p = policy("""
                action: block
                allow:
                  - class: PCI
                    types: [CREDIT_CARD_NUMBER]
                    paths: ["$.card.number"]
                  - class: PII
                """);
        var ev = new DataPolicyEvaluator(p);
        assertThat(ev.evaluate(scan(PAYMENT))).isInstanceOf(DlpDecision.Pass.class)
                .satisfies(d -> assertThat(d.recorded()).hasSize(2));
        var moved = ev.evaluate(scan("{\"note\":\"card 4539148803436467\"}"));
        assertThat(moved).isInstanceOf(DlpDecision.Block.class);
        String problem = ((DlpDecision.Block) moved).problemJson();
        assertThat(problem).contains("CREDIT_CARD_NUMBER").contains("$.note").contains("\"status\":403")
                .doesNotContain("4539148803436467");
    }

    @Test
    void wildcardPathsAndOverrides() {
        var p = policy("""
                action: alert
                allow:
                  - class: PCI
                    paths: ["$.items[*].card.*"]
                actions:
                  EMAIL_ADDRESS: redact
                  SECRET: block
                """);
        var ev = new DataPolicyEvaluator(p);
        assertThat(ev.evaluate(scan("{\"items\":[{\"card\":{\"pan\":\"4539148803436467\"}}]}"))).isInstanceOf(DlpDecision.Pass.class);
        assertThat(ev.evaluate(scan("{\"e\":\"jo@corp.com\"}"))).isInstanceOf(DlpDecision.Redact.class);
        assertThat(ev.evaluate(scan("{\"e\":\"jo@corp.com\",\"t\":\"ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A\"}"))).isInstanceOf(DlpDecision.Block.class);
    }

    @Test
    void redactionMasksInPlaceAndKeepsJsonValid() throws Exception {
        String body = "{\"card\":\"4539 1488 0343 6467\",\"n\":4539148803436467,\"e\":\"jo@corp.com\",\"k\":\"-----BEGIN PRIVATE KEY-----\\n"
                + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvuNMoSfm76oqFvAp8Gy0iz5sxjZmSnXyCdPEovGhLa0VzMaQ8s+CLOyS56YyCFGeJZ\\n-----END PRIVATE KEY-----\"}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        var findings = ENGINE.scan(b);
        assertThat(findings).extracting(Finding::type).contains("CREDIT_CARD_NUMBER", "EMAIL_ADDRESS", "PRIVATE_KEY");
        Redaction.apply(b, findings);
        String out = new String(b, StandardCharsets.UTF_8);
        assertThat(out).hasSize(body.length()).doesNotContain("4539").doesNotContain("MIIEvQ").doesNotContain("jo@corp");
        assertThat(out).contains("\"**** **** **** 6467\"");
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(out); // still valid JSON
        assertThat(ENGINE.scan(b)).isEmpty();
    }

    @Test
    void customDetectorsFromPolicy() {
        var p = policy("""
                detectors:
                  - type: EMPLOYEE_ID
                    pattern: 'EMP-[0-9]{6}'
                    keywords: [employee]
                """);
        var engine = DlpEngine.builder().custom(DataPolicyEvaluator.detectors(p)).build();
        var f = engine.scan("{\"employee\":\"EMP-123456\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo("EMPLOYEE_ID");
            assertThat(x.dataClass()).isEqualTo(DataClass.CUSTOM);
            assertThat(x.path()).isEqualTo("$.employee");
        });
    }

    @Test
    void badConfigIsReportedWithLocationAndFix() {
        var problems = new ConfigProblems("apis.yaml");
        DataPolicy.read(ConfigNode.parse("""
                action: deny
                allow:
                  - class: CARDS
                    typez: [X]
                detectors:
                  - type: emp_id
                    pattern: '(a+)+\\\\1'
                    validator: crc
                """, problems));
        var msgs = problems.list().stream().map(Object::toString).toList();
        assertThat(problems.list()).anySatisfy(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.column()).isEqualTo(9);
            assertThat(p.fix()).contains("alert, redact, block");
        });
        assertThat(msgs).anySatisfy(m -> assertThat(m).contains("CARDS").contains("PCI, PII, SECRET, CUSTOM"));
        assertThat(msgs).anySatisfy(m -> assertThat(m).contains("typez").contains("types"));
        assertThat(msgs).anySatisfy(m -> assertThat(m).contains("emp_id"));
        assertThat(msgs).anySatisfy(m -> assertThat(m).contains("backreferences"));
        assertThat(msgs).anySatisfy(m -> assertThat(m).contains("crc"));
    }
}

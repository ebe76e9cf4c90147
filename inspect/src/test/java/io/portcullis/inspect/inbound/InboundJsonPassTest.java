package io.portcullis.inspect.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.core.config.InboundPolicy;
import io.portcullis.inspect.limits.StructuralLimits;
import io.portcullis.inspect.limits.StructureVerdict;
import io.portcullis.inspect.schema.VendorContract;
import io.portcullis.inspect.threats.ThreatEngine;
import io.portcullis.inspect.threats.ThreatReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The single parse gives the same verdicts as the three separate parses it replaces: the structural verdict of
 * {@link StructuralLimits}, the report of {@link ThreatEngine#scanJson(byte[])} and the tree of the contract's
 * reader — over every JSON body of the labelled threats corpus, the benchmark response, and edge cases at the
 * engines' own caps, fed whole and in small chunks.
 */
class InboundJsonPassTest {
    private static final ThreatEngine ENGINE = new ThreatEngine();
    /** Configured as VendorContract's body reader. */
    private static final ObjectMapper CONTRACT_READER = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(512).build())
            .build());
    private static final InboundPolicy.Limits WIDE = new InboundPolicy.Limits(64L << 20, 1000, 100_000, 1 << 20, 100, 100_000, 100,
            InboundPolicy.Action.BLOCK);

    private record Outcome(StructureVerdict verdict, ThreatReport threats, JsonNode tree) {
    }

    private static Outcome pass(StructuralLimits limits, byte[] body, int chunk) {
        var p = new InboundJsonPass(limits, ENGINE, true);
        StructureVerdict v = null;
        if (body.length == 0) v = p.feed(body, 0, 0, true);
        for (int off = 0; off < body.length; off += chunk) {
            int n = Math.min(chunk, body.length - off);
            v = p.feed(body, off, n, off + n == body.length);
        }
        return new Outcome(v, p.threats(), p.tree());
    }

    private static JsonNode contractTree(byte[] body) {
        try {
            return CONTRACT_READER.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    /** Asserts the pass agrees with the separate checks; returns whether both fast results were available. */
    private static boolean agrees(StructuralLimits limits, byte[] body, String what) {
        boolean fast = true;
        for (int chunk : new int[]{Math.max(1, body.length), 7, 1}) {
            Outcome o = pass(limits, body, chunk);
            assertEquals(limits.check(body), o.verdict(), what + " structural verdict, chunks of " + chunk);
            if (o.threats() != null) assertEquals(ENGINE.scanJson(body), o.threats(), what + " threat report, chunks of " + chunk);
            if (o.tree() != null) assertEquals(contractTree(body), o.tree(), what + " tree, chunks of " + chunk);
            if (o.verdict().ok()) fast &= o.threats() != null && o.tree() != null;
            else {
                assertNull(o.threats(), what);
                assertNull(o.tree(), what);
                fast = false;
            }
        }
        return fast;
    }

    @Test
    void everyCorpusBodyGetsTheSameVerdictsFromOneParse() throws Exception {
        var om = new ObjectMapper();
        var limits = new StructuralLimits(InboundPolicy.Limits.DEFAULT);
        int bodies = 0, fast = 0, attacks = 0;
        for (String line : Files.readAllLines(Path.of("../bench/threats-corpus/corpus.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode n = om.readTree(line);
            if (!n.path("kind").asText().endsWith("body") || !n.path("value").asText().trim().startsWith("{") && !n.path("value").asText().trim().startsWith("[")) continue;
            byte[] body = n.path("value").asText().getBytes(StandardCharsets.UTF_8);
            bodies++;
            if (agrees(limits, body, "corpus #" + n.path("id").asText())) {
                fast++;
                if (!ENGINE.scanJson(body).findings().isEmpty()) attacks++;
            }
        }
        assertTrue(bodies > 500, "corpus bodies: " + bodies);
        assertEquals(bodies, fast, "every well-formed corpus body is judged from the one parse");
        assertTrue(attacks > 100, "attack bodies judged from the one parse: " + attacks);
    }

    @Test
    void benchmarkResponseIsJudgedFromOneParse() throws Exception {
        byte[] body = Files.readAllBytes(Path.of("../bench/inbound-bench/charges.json"));
        assertTrue(agrees(new StructuralLimits(InboundPolicy.Limits.DEFAULT), body, "charges.json"));
        var contract = VendorContract.load(List.of(Path.of("../bench/inbound-bench/charges-openapi.yaml")), InboundPolicy.UnknownFields.REJECT);
        var p = new InboundJsonPass(new StructuralLimits(InboundPolicy.Limits.DEFAULT), null, true);
        assertTrue(p.feed(body, 0, body.length, true).ok());
        assertEquals(contract.checkResponse("GET", "/v1/charges", 200, "application/json", body),
                contract.checkResponse("GET", "/v1/charges", 200, "application/json", body, p.tree()));
        // a body breaking the contract: the same findings from the tree as from the bytes
        byte[] bad = new String(body, StandardCharsets.UTF_8).replace("\"amount\":1999", "\"amount\":-5").replace("\"paid\":true", "\"paid\":\"yes\"")
                .replaceFirst("\"object\":\"charge\"", "\"object\":\"charge\",\"extra\":1").getBytes(StandardCharsets.UTF_8);
        var q = new InboundJsonPass(new StructuralLimits(InboundPolicy.Limits.DEFAULT), null, true);
        assertTrue(q.feed(bad, 0, bad.length, true).ok());
        var expected = contract.checkResponse("GET", "/v1/charges", 200, "application/json", bad);
        assertFalse(expected.isEmpty());
        assertEquals(expected, contract.checkResponse("GET", "/v1/charges", 200, "application/json", bad, q.tree()));
    }

    @Test
    void numbersAndNamesBuildTheContractReadersNodes() {
        var limits = new StructuralLimits(WIDE);
        List<String> bodies = new ArrayList<>(List.of(
                "0", "-0", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
                "123456789012345678901234567890", "1.5", "-0.0", "1e3", "1E-7", "1e400", "-1e400", "4.9e-325", "0.1",
                "123456789.123456789012345678901234567890", "\"\"", "\"é\\u00e9\\ud83d\\ude00\"", "true", "false", "null", "[]", "{}",
                "{\"a\":{\"b\":[1,2.0,{\"c\":null}]},\"\":\"empty key\",\"é\":[[[]]]}",
                "[{\"x\":1},{\"x\":1}]", "{\"a\":\"<script>alert(1)</script>\",\"b\":[\"' OR 1=1 --\"]}",
                "{\"$where\":\"this.a == 1\"}", "{\"weird key \\u0000\":1}"));
        for (String b : bodies) {
            assertTrue(agrees(limits, b.getBytes(StandardCharsets.UTF_8), b), b);
        }
    }

    @Test
    void malformedBodiesGiveTheStructuralVerdictAndNoFastResult() {
        var limits = new StructuralLimits(InboundPolicy.Limits.DEFAULT);
        for (String b : List.of("", "{", "{\"a\":1,\"a\":2}", "[1,]", "[1] [2]", "{\"a\":NaN}", "[01]", "\"\\x\"", "{\"a\":\"\u0001\"}")) {
            assertFalse(agrees(limits, b.getBytes(StandardCharsets.UTF_8), b), b);
        }
        byte[] overlong = {'[', '"', (byte) 0xC0, (byte) 0xAF, '"', ']'};
        assertFalse(agrees(limits, overlong, "overlong UTF-8"));
    }

    /** Limits wider than the threat engine's own caps: the one parse reproduces the engine's verdict or steps aside. */
    @Test
    void atTheEnginesOwnCaps() {
        var limits = new StructuralLimits(WIDE);
        // nesting: 512 levels pass everywhere; at 513 the engine reports malformed and the contract reader fails
        for (int depth : new int[]{512, 513}) {
            String body = "[".repeat(depth) + "\"' OR 1=1 --\"" + "]".repeat(depth);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            Outcome o = pass(limits, bytes, 4096);
            assertTrue(o.verdict().ok(), "within the wide limits at depth " + depth);
            assertEquals(ENGINE.scanJson(bytes), o.threats(), "depth " + depth);
            assertEquals(depth == 512, ENGINE.scanJson(bytes).malformed() == null);
            if (depth == 512) assertEquals(contractTree(bytes), o.tree());
            else assertNull(o.tree());
        }
        // key length: the engine's parser takes keys up to 50,000 UTF-8 bytes; one byte more is malformed
        for (String unit : new String[]{"k", "é", "語", "😀"}) {
            int bytesPer = unit.getBytes(StandardCharsets.UTF_8).length;
            for (int extra : new int[]{0, 1}) {
                int units = (50_000 + (extra == 0 ? 0 : bytesPer)) / bytesPer;
                String key = unit.repeat(units);
                byte[] body = ("{\"a\":\"<script>alert(1)</script>\",\"" + key + "\":1}").getBytes(StandardCharsets.UTF_8);
                Outcome o = pass(limits, body, 1000);
                assertTrue(o.verdict().ok());
                ThreatReport own = ENGINE.scanJson(body);
                assertNotNull(o.threats(), unit + " x" + units);
                assertEquals(own, o.threats(), unit + " x" + units + " (" + units * bytesPer + " bytes)");
                assertEquals(units * bytesPer > 50_000, own.malformed() != null, unit + " x" + units);
                assertFalse(own.findings().isEmpty());
            }
        }
    }
}

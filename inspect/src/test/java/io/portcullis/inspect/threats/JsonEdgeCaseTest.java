package io.portcullis.inspect.threats;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** JSONTestSuite-style edge cases (nst/JSONTestSuite categories): each gets a clear verdict, never an exception or a hang. */
class JsonEdgeCaseTest {
    private final ThreatEngine engine = new ThreatEngine();

    @Test
    void hundredThousandOpenBracketsAreMalformedByDepth() {
        ThreatReport r = engine.scanJson("[".repeat(100_000));
        assertThat(r.malformed()).isEqualTo("JSON nesting deeper than " + ThreatEngine.MAX_DEPTH);
    }

    @Test
    void nestingExactlyAtTheLimitIsAccepted() {
        int d = ThreatEngine.MAX_DEPTH;
        assertThat(engine.scanJson("[".repeat(d) + "]".repeat(d)).malformed()).isNull();
        assertThat(engine.scanJson("[".repeat(d + 1) + "]".repeat(d + 1)).malformed()).contains("nesting");
    }

    @Test
    void hugeNumbersAreMalformedNotParsed() {
        assertThat(engine.scanJson("{\"n\":" + "9".repeat(20_000) + "}").malformed()).isEqualTo("JSON number too long");
        assertThat(engine.scanJson("{\"n\":1e999999999}").malformed()).isNull(); // short exponent: fine, never evaluated
    }

    @Test
    void duplicateKeysAreMalformed() {
        assertThat(engine.scanJson("{\"amount\":1,\"amount\":1000000}").malformed()).isEqualTo("duplicate key in JSON object");
    }

    @Test
    void truncatedInputIsMalformed() {
        for (String s : new String[] {"{\"a\":", "{\"a\":\"unterminated", "[1,2", "{\"a\":tr"}) {
            assertThat(engine.scanJson(s).malformed()).as(s).isNotNull();
        }
        assertThat(engine.scanJson("{\"a\":[").malformed()).startsWith("truncated");
    }

    @Test
    void invalidUtf8SequencesAreMalformed() {
        byte[][] cases = {
                {'"', (byte) 0xFF, '"'}, {'"', (byte) 0xC0, (byte) 0xAF, '"'}, {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'},
                {'[', '"', (byte) 0xE2, (byte) 0x82, '"', ']'}};
        for (byte[] c : cases) {
            ThreatReport r = engine.scanJson(c);
            assertThat(r.malformed()).as(new String(c, StandardCharsets.ISO_8859_1)).isNotNull();
        }
    }

    @Test
    void emptyTrailingAndGarbageBodiesAreMalformed() {
        assertThat(engine.scanJson("").malformed()).isEqualTo("empty body");
        assertThat(engine.scanJson("{} {}").malformed()).isEqualTo("more than one top-level value");
        assertThat(engine.scanJson("{'a':1}").malformed()).isEqualTo("invalid JSON syntax");
        assertThat(engine.scanJson("\u0000").malformed()).isNotNull();
    }

    @Test
    void findingsBeforeAnErrorAreKept() {
        ThreatReport r = engine.scanJson("{\"a\":\"<script>alert(1)</script>\",\"b\":");
        assertThat(r.categories()).containsExactly(ThreatCategory.XSS);
        assertThat(r.malformed()).isNotNull();
    }

    @Test
    void scalarTopLevelValuesAreScanned() {
        assertThat(engine.scanJson("\"' OR 1=1--\"").categories()).containsExactly(ThreatCategory.SQLI);
        assertThat(engine.scanJson("42").isAttack()).isFalse();
    }

    @Test
    void longStringsScanInLinearTime() {
        // 4 MB of a character pattern that would hurt a backtracking matcher; must just finish (no timing assert)
        String s = "'(".repeat(1 << 20) + "<a " .repeat(1 << 18);
        ThreatReport r = engine.scanValue(s, ValueContext.JSON_VALUE);
        assertThat(r).isNotNull();
        assertThat(engine.scanJson(("[\"" + "%2e%2e/".repeat(100_000) + "\"]").getBytes(StandardCharsets.UTF_8)).categories())
                .contains(ThreatCategory.PATH_TRAVERSAL);
    }

    @Test
    void xmlNodeLimitIsEnforcedAtItsEdge() {
        // each "<a/>" is one tag node; the text between them is empty, so N tags = N nodes
        int n = ThreatEngine.MAX_XML_NODES;
        assertThat(engine.scanXml("<a/>".repeat(n)).malformed()).isNull();
        assertThat(engine.scanXml("<a/>".repeat(n + 1)).malformed()).isEqualTo("XML body has more than " + n + " nodes");
    }
}

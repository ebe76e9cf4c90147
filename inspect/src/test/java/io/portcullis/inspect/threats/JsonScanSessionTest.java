package io.portcullis.inspect.threats;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Chunked scanning gives the same verdict as whole-body scanning, wherever the chunk boundaries fall. */
class JsonScanSessionTest {
    private final ThreatEngine engine = new ThreatEngine();

    private ThreatReport chunked(byte[] body, int seed) {
        ThreatEngine.JsonScanSession s = engine.newJsonSession();
        Random r = new Random(seed);
        int i = 0;
        while (i < body.length) {
            int n = Math.min(body.length - i, 1 + r.nextInt(7));
            byte[] copy = java.util.Arrays.copyOfRange(body, i, i + n); // caller's buffer is reused: feed a copy, then scribble
            s.feed(copy, 0, n);
            java.util.Arrays.fill(copy, (byte) 'x');
            i += n;
        }
        return s.finish();
    }

    @Test
    void chunkBoundariesDoNotChangeTheVerdict() {
        String[] bodies = {
                "{\"customer\":{\"name\":\"Zoë O'Brien\",\"notes\":\"<img src=x onerror=alert(1)>\"},\"tags\":[\"a\",\"' OR 1=1--\"]}",
                "{\"ok\":true,\"n\":12.5,\"city\":\"東京\",\"url\":\"https://api.stripe.com/v1\"}",
                "{\"q\":{\"$where\":\"sleep(100)\"}}",
                "{\"a\":[1,2", "{\"a\":1,\"a\":2}", "[] []", ""};
        for (String b : bodies) {
            byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
            ThreatReport whole = engine.scanJson(bytes);
            for (int seed = 0; seed < 20; seed++) {
                assertThat(chunked(bytes, seed)).as("%s seed %d", b, seed).isEqualTo(whole);
            }
        }
    }

    @Test
    void invalidUtf8SplitAcrossChunksIsMalformed() {
        ThreatEngine.JsonScanSession s = engine.newJsonSession();
        s.feed(new byte[] {'[', '"', (byte) 0xE2}, 0, 3);
        s.feed(new byte[] {(byte) 0x28, '"', ']'}, 0, 3); // 0x28 is not a continuation byte
        assertThat(s.finish().malformed()).isEqualTo("invalid UTF-8 in JSON");
        ThreatEngine.JsonScanSession t = engine.newJsonSession();
        t.feed(new byte[] {'"', (byte) 0xC3}, 0, 2);
        assertThat(t.finish().malformed()).isEqualTo("invalid UTF-8 in JSON");
    }

    @Test
    void deepNestingInChunksIsMalformedAndFinishIsIdempotent() {
        ThreatEngine.JsonScanSession s = engine.newJsonSession();
        byte[] open = "[".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 100; i++) s.feed(open, 0, open.length);
        ThreatReport r = s.finish();
        assertThat(r.malformed()).isEqualTo("JSON nesting deeper than " + ThreatEngine.MAX_DEPTH);
        assertThat(s.finish()).isSameAs(r);
    }
}

package io.portcullis.inspect.threats;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz target over every tokenizer and grammar of the threat engine: any input, in any context, yields a
 * report and never an exception. In the default suite this runs the seed inputs in
 * {@code src/test/resources/io/portcullis/inspect/threats/ThreatTokenizerFuzzTestInputs} (regression mode); real
 * fuzzing runs with {@code JAZZER_FUZZ=1} for at most {@code maxDuration} (see {@code bench/threats-fuzz}). Jazzer
 * reports inputs slower than its per-input timeout, which is how super-linear behaviour would surface.
 */
class ThreatTokenizerFuzzTest {
    private static final ThreatEngine ENGINE = new ThreatEngine(1);

    @FuzzTest(maxDuration = "60s")
    void anyInputGetsAVerdict(FuzzedDataProvider data) {
        int mode = data.consumeInt(0, 5);
        int chunk = data.consumeInt(1, 16);
        byte[] raw = data.consumeRemainingAsBytes();
        if (mode == 5) { // chunked JSON must agree with whole-body JSON on the verdict
            ThreatEngine.JsonScanSession session = ENGINE.newJsonSession();
            for (int i = 0; i < raw.length; i += chunk) session.feed(raw, i, Math.min(chunk, raw.length - i));
            ThreatReport chunked = session.finish(), whole = ENGINE.scanJson(raw);
            assertThat(chunked.findings()).isEqualTo(whole.findings());
            assertThat(chunked.isMalformed()).isEqualTo(whole.isMalformed());
            return;
        }
        String s = new String(raw, StandardCharsets.UTF_8);
        ThreatReport r = switch (mode) {
            case 0 -> ENGINE.scanJson(raw);
            case 1 -> ENGINE.scanForm(s);
            case 2 -> ENGINE.scanXml(s);
            default -> ENGINE.scanValue(s, ValueContext.values()[raw.length % ValueContext.values().length]);
        };
        assertThat(r).isNotNull();
        for (ThreatFinding f : r.findings()) {
            assertThat(f.excerpt().length()).isLessThanOrEqualTo(ThreatFinding.MAX_EXCERPT);
            assertThat(f.start()).isBetween(0, Math.max(0, f.end()));
        }
    }
}

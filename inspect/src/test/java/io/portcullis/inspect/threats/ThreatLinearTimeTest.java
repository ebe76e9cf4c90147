package io.portcullis.inspect.threats;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Linear time in the input length: for inputs built to provoke backtracking or quadratic rescans in each grammar,
 * 16x more input may cost at most ~16x more time (bound 48x for noise). A timing test, so tagged slow and excluded
 * from the default suite; run by bench/threats-fuzz.
 */
@Tag("slow")
class ThreatLinearTimeTest {
    private static final String[] UNITS = {"'(", "<a ", "<a onx", "((((", "%25", "../", "{{", "${", "://", ")(", "; ", "|| ",
            "' OR (", "\"", "`", "&#", "\\x", "$(", "[$", "<!ENTITY ", "0x7f.", "a' or 1=1 or '"};

    @Test
    void everyAdversarialShapeScansInLinearTime() {
        ThreatEngine engine = new ThreatEngine(1);
        for (String unit : UNITS) {
            best(engine, unit.repeat(64_000)); // warm-up: let the JIT compile this shape's path first
            long small = best(engine, unit.repeat(4_000));
            long large = best(engine, unit.repeat(64_000));
            assertThat((double) large / Math.max(small, 200_000)).as("unit %s: %d ns vs %d ns", unit, small, large).isLessThan(48.0);
        }
    }

    private static long best(ThreatEngine engine, String s) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            long t = System.nanoTime();
            engine.scanValue(s, ValueContext.QUERY_VALUE);
            best = Math.min(best, System.nanoTime() - t);
        }
        return best;
    }
}

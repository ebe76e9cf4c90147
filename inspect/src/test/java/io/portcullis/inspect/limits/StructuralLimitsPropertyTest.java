package io.portcullis.inspect.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.core.config.InboundPolicy;
import io.portcullis.core.config.InboundPolicy.Action;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Differential check: with limits far above the inputs, the streaming verdict is "within" exactly when Jackson's
 * blocking tree parser (strict duplicate detection, one root value) accepts the document. Inputs are ASCII
 * mutations of realistic JSON, fed in random chunkings.
 */
class StructuralLimitsPropertyTest {
    static final StructuralLimits GENEROUS = new StructuralLimits(new InboundPolicy.Limits(1 << 20, 1000, 100_000, 100_000, 1000, 100_000, 100, Action.BLOCK));
    static final ObjectMapper JACKSON = new ObjectMapper(JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final String[] SEEDS = {
            "{\"id\":\"cus_1\",\"amount\":1999,\"currency\":\"eur\",\"paid\":true,\"refunds\":{\"data\":[],\"has_more\":false}}",
            "[{\"a\":1.5e-3},{\"b\":null},[\"x\",\"y\\n\\u00e9\"],-0,12345678901234567890]",
            "{\"nested\":{\"deeper\":{\"deepest\":[1,[2,[3,[4]]]]}},\"s\":\"quote \\\" and slash \\/\"}",
    };
    static final String ALPHABET = "{}[]\",:0123456789.eE+-tfnrul\\ abc";

    static boolean jacksonAccepts(byte[] b) {
        try {
            return JACKSON.readTree(b) != null && b.length > 0 && !JACKSON.readTree(b).isMissingNode();
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Kind and reason, plus the path for limits. For a lexing error the path may name the element before or the
     * element of the bad token depending on where a chunk ends (whether the parser had already emitted the
     * token), so it is not compared; nor are byte offsets.
     */
    static String describe(StructureVerdict v) {
        return switch (v) {
            case StructureVerdict.Within w -> "within";
            case StructureVerdict.Exceeded e -> e.limit() + " " + e.jsonPath();
            case StructureVerdict.Malformed m -> m.reason();
        };
    }

    static void run(int iterations, long seed) {
        var rnd = new Random(seed);
        for (int i = 0; i < iterations; i++) {
            var sb = new StringBuilder(SEEDS[rnd.nextInt(SEEDS.length)]);
            int edits = 1 + rnd.nextInt(3);
            for (int e = 0; e < edits && sb.length() > 0; e++) {
                int pos = rnd.nextInt(sb.length());
                switch (rnd.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(pos);
                    case 1 -> sb.insert(pos, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                    default -> sb.setCharAt(pos, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                }
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.US_ASCII);
            var scan = GENEROUS.begin();
            StructureVerdict v = null;
            int off = 0;
            do {
                int n = Math.min(b.length - off, 1 + rnd.nextInt(16));
                v = scan.feed(b, off, n, off + n == b.length);
                off += n;
            } while (off < b.length && v.ok());
            if (b.length == 0) v = scan.feed(b, 0, 0, true);
            assertThat(v.ok()).as("input %s", sb).isEqualTo(jacksonAccepts(b));
            assertThat(describe(v)).as("chunking must not change the verdict for %s", sb).isEqualTo(describe(GENEROUS.check(b)));
        }
    }

    @Test
    void streamingVerdictAgreesWithJacksonOnMutatedJson() {
        run(5_000, 1);
    }

    @Test
    @Tag("slow")
    void streamingVerdictAgreesWithJacksonOnMutatedJsonLongRun() {
        run(1_000_000, System.nanoTime());
    }
}

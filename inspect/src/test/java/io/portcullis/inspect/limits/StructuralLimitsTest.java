package io.portcullis.inspect.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.config.InboundPolicy;
import io.portcullis.core.config.InboundPolicy.Action;
import io.portcullis.inspect.limits.StructureVerdict.Exceeded;
import io.portcullis.inspect.limits.StructureVerdict.Limit;
import io.portcullis.inspect.limits.StructureVerdict.Malformed;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StructuralLimitsTest {
    // small limits so every edge is cheap to reach
    static final InboundPolicy.Limits SMALL = new InboundPolicy.Limits(200, 4, 5, 10, 6, 3, 100, Action.BLOCK);
    static final StructuralLimits LIMITS = new StructuralLimits(SMALL);

    static StructureVerdict check(String json) {
        return LIMITS.check(json.getBytes(StandardCharsets.UTF_8));
    }

    static StructureVerdict checkBytewise(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        var scan = LIMITS.begin();
        StructureVerdict v = null;
        for (int i = 0; i < b.length; i++) v = scan.feed(b, i, 1, i == b.length - 1);
        return b.length == 0 ? scan.feed(b, true) : v;
    }

    static Exceeded exceeded(StructureVerdict v) {
        assertThat(v).isInstanceOf(Exceeded.class);
        return (Exceeded) v;
    }

    @Test
    void bodySizeAtTheLimitPassesAndOneMoreByteFails() {
        String atLimit = "\"" + "a".repeat(8) + "\"" + " ".repeat(190); // 200 bytes
        assertThat(atLimit).hasSize(200);
        assertThat(check(atLimit).ok()).isTrue();
        var e = exceeded(check(atLimit + " "));
        assertThat(e.limit()).isEqualTo(Limit.BODY_SIZE);
        assertThat(e.observed()).isEqualTo(201);
        assertThat(e.max()).isEqualTo(200);
    }

    @Test
    void depthAtTheLimitPassesAndOneMoreLevelFailsWithItsPath() {
        assertThat(check("{\"a\":[{\"b\":[1]}]}").ok()).isTrue(); // depth 4
        var e = exceeded(check("{\"a\":[{\"b\":[[1]]}]}"));
        assertThat(e.limit()).isEqualTo(Limit.DEPTH);
        assertThat(e.jsonPath()).isEqualTo("$.a[0].b[0]");
        assertThat(e.observed()).isEqualTo(5);
    }

    @Test
    void arrayLengthAtTheLimitPassesAndOneMoreElementFails() {
        assertThat(check("{\"x\":[1,2,3,4,5]}").ok()).isTrue();
        var e = exceeded(check("{\"x\":[1,2,3,4,5,6]}"));
        assertThat(e.limit()).isEqualTo(Limit.ARRAY_LENGTH);
        assertThat(e.jsonPath()).isEqualTo("$.x");
        assertThat(e.observed()).isEqualTo(6);
        assertThat(exceeded(check("[[],[],[],{},\"s\",null]")).limit()).isEqualTo(Limit.ARRAY_LENGTH);
    }

    @Test
    void stringLengthAtTheLimitPassesAndOneMoreCharacterFails() {
        assertThat(check("{\"s\":\"" + "x".repeat(10) + "\"}").ok()).isTrue();
        var e = exceeded(check("{\"s\":\"" + "x".repeat(11) + "\"}"));
        assertThat(e.limit()).isEqualTo(Limit.STRING_LENGTH);
        assertThat(e.jsonPath()).isEqualTo("$.s");
        // characters, not bytes: ten 2-byte characters pass
        assertThat(check("[\"" + "é".repeat(10) + "\"]").ok()).isTrue();
    }

    @Test
    void numberLengthAtTheLimitPassesAndOneMoreDigitFails() {
        assertThat(check("[123456]").ok()).isTrue();
        assertThat(check("[-1.5e3]").ok()).isTrue();
        var e = exceeded(check("{\"n\":1234567}"));
        assertThat(e.limit()).isEqualTo(Limit.NUMBER_LENGTH);
        assertThat(e.jsonPath()).isEqualTo("$.n");
    }

    @Test
    void objectKeyCountAtTheLimitPassesAndOneMoreKeyFails() {
        assertThat(check("{\"a\":1,\"b\":2,\"c\":3}").ok()).isTrue();
        var e = exceeded(check("{\"a\":1,\"b\":2,\"c\":3,\"d\":4}"));
        assertThat(e.limit()).isEqualTo(Limit.OBJECT_KEYS);
        assertThat(e.jsonPath()).isEqualTo("$");
        assertThat(e.observed()).isEqualTo(4);
    }

    @Test
    void chunkBoundariesDoNotChangeAnyVerdict() {
        for (String s : new String[] {"{\"a\":[{\"b\":[1]}]}", "{\"x\":[1,2,3,4,5,6]}", "{\"s\":\"" + "x".repeat(11) + "\"}",
                "{\"n\":1234567}", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}", "{\"a\":", "[1] [2]", "{\"a\":1,\"a\":2}",
                "{\"a\":1,}", "{\"a\":[1],}", "{\"a\":\"x,\"}"}) {
            assertThat(checkBytewise(s)).as(s).isEqualTo(check(s));
        }
    }

    // nst/JSONTestSuite-style cases (categories of https://github.com/nst/JSONTestSuite, inputs written here)
    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "[1,2", "\"abc", "{\"a\"", "tru", "[1,]", "{,}", "[01]", "[NaN]", "[Infinity]", "[.5]",
            "{'a':1}", "[1] [2]", "{\"a\":1}x", "[\"a\tb\"]", "[\"\\x41\"]", "{\"a\":1,\"a\":2}", "", "   ", "[-]", "[1e]", "{\"a\" 1}"})
    void malformedJsonGetsAClearVerdictNeverAnException(String input) {
        var v = check(input);
        assertThat(v).isInstanceOf(Malformed.class);
        assertThat(((Malformed) v).reason()).isNotBlank().doesNotContain("Exception");
    }

    @Test
    void reasonsNameTheProblemWithoutQuotingThePayload() {
        assertThat(((Malformed) check("{\"secretkey\":1,\"secretkey\":2}")).reason()).isEqualTo("duplicate key in an object")
                .doesNotContain("secretkey");
        assertThat(((Malformed) check("{\"a\":")).reason()).startsWith("truncated");
        assertThat(((Malformed) check("[1] [2]")).reason()).contains("more than one");
        assertThat(((Malformed) check("")).reason()).startsWith("empty");
        assertThat(((Malformed) check("{\"a\":hunter2}")).reason()).doesNotContain("hunter2");
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[][] cases = {
                {'[', '"', (byte) 0xC3, '"', ']'},                       // truncated 2-byte sequence
                {'[', '"', (byte) 0xFF, '"', ']'},                       // byte never valid in UTF-8
                {'[', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ']'}, // encoded surrogate
                {'[', '"', (byte) 0xC0, (byte) 0xAF, '"', ']'},          // overlong '/'
        };
        for (byte[] c : cases) {
            var v = LIMITS.check(c);
            assertThat(v).isInstanceOf(Malformed.class);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void hugeInputsStopEarlyAtTheirLimitWithBoundedWork() {
        var big = new StructuralLimits(InboundPolicy.Limits.DEFAULT);
        // 100k nested arrays: stopped at depth 65
        var v = big.check("[".repeat(100_000).getBytes(StandardCharsets.UTF_8));
        assertThat(exceeded(v).limit()).isEqualTo(Limit.DEPTH);
        assertThat(exceeded(v).observed()).isEqualTo(65);
        // a 5000-digit number
        assertThat(exceeded(big.check(("[" + "9".repeat(5000) + "]").getBytes(StandardCharsets.UTF_8))).limit()).isEqualTo(Limit.NUMBER_LENGTH);
        // a 2 MiB string, streamed in 8 KiB chunks: stopped by the string limit (1 MiB), never held whole
        var scan = big.begin();
        scan.feed("[\"".getBytes(StandardCharsets.UTF_8), false);
        byte[] chunk = "a".repeat(8192).getBytes(StandardCharsets.UTF_8);
        StructureVerdict last = null;
        for (int i = 0; i < 256 && (last == null || last.ok()); i++) last = scan.feed(chunk, false);
        assertThat(exceeded(last).limit()).isEqualTo(Limit.STRING_LENGTH);
    }

    @Test
    void randomBytesNeverThrow() {
        var rnd = new Random(42);
        for (int i = 0; i < 3000; i++) {
            byte[] b = new byte[rnd.nextInt(64)];
            rnd.nextBytes(b);
            if (rnd.nextBoolean() && b.length > 0) b[0] = (byte) "[{\"".charAt(rnd.nextInt(3));
            assertThat(LIMITS.check(b)).isNotNull();
        }
    }

    @Test
    void feedingAfterAVerdictKeepsIt() {
        var scan = LIMITS.begin();
        var v = scan.feed("[1,2,3,4,5,6,".getBytes(StandardCharsets.UTF_8), false);
        assertThat(v).isInstanceOf(Exceeded.class);
        assertThat(scan.feed("]".getBytes(StandardCharsets.UTF_8), true)).isSameAs(v);
    }

    @Test
    void duplicateKeysAreFoundInSmallAndLargeObjectsAndOnlyWithinOneObject() {
        var limits = new StructuralLimits(InboundPolicy.Limits.DEFAULT);
        java.util.function.Function<String, StructureVerdict> check = json -> limits.check(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        var sb = new StringBuilder("{");
        for (int i = 0; i < 40; i++) sb.append("\"k").append(i).append("\":").append(i).append(',');
        String many = sb.toString();
        assertThat(check.apply(many + "\"k39\":1}")).isInstanceOf(Malformed.class); // past the short array, in the set
        assertThat(check.apply(many + "\"k3\":1}")).isInstanceOf(Malformed.class);
        assertThat(check.apply(many + "\"k40\":1}").ok()).isTrue();
        assertThat(((Malformed) check.apply("{\"a\":1,\"b\":2,\"a\":3}")).reason()).isEqualTo("duplicate key in an object");
        assertThat(check.apply("{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}]}").ok()).isTrue(); // same name in different objects
        assertThat(check.apply("{\"a\":{\"x\":1,\"x\":2}}")).isInstanceOf(Malformed.class);
        assertThat(check.apply("{\"\\u0061\":1,\"a\":2}")).isInstanceOf(Malformed.class); // the same key, once escaped
    }
}

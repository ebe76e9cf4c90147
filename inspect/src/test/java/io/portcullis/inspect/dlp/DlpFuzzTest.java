package io.portcullis.inspect.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Robustness: no input makes the engine throw, hang or report a span outside the input.
 *
 * <p>{@link #fuzzScanner} is a Jazzer fuzz test: in the default suite it replays its seed inputs
 * (regression mode); {@code JAZZER_FUZZ=1} fuzzes for up to 10 minutes. {@link #mutatedPayloadsNeverBreakTheScanner}
 * is the bounded, seeded mutation run of the default suite. Large single-line inputs check linear behaviour:
 * up to 100 MB in the default suite by work and allocation counters (no clock), and by time tagged {@code slow}.
 */
class DlpFuzzTest {
    private static final DlpEngine ENGINE = DlpEngine.builtIn();

    private static void checkAll(byte[] in) {
        assertSpans(ENGINE.scan(in), in.length);
        assertSpans(ENGINE.scanBody(in, "multipart/form-data; boundary=b", null).findings(), in.length);
        assertSpans(ENGINE.scanBody(in, "application/x-www-form-urlencoded", null).findings(), in.length);
        var decoded = ENGINE.scanBody(in, "application/json", "gzip");
        assertThat(decoded.findings()).isNotNull();
        var s = new DlpStreamScanner(ENGINE, true, 64);
        long released = 0;
        for (int off = 0; off < in.length || off == 0; off += 17) {
            int n = Math.min(17, in.length - off);
            var r = s.feed(in, off, n, off + n >= in.length);
            released += r.bytes().length;
            if (off + n >= in.length) break;
        }
        assertThat(released).isEqualTo(in.length);
    }

    private static void assertSpans(List<Finding> findings, int len) {
        for (Finding f : findings) {
            assertThat(f.start()).isBetween(0L, (long) len);
            assertThat(f.end()).isBetween(f.start(), (long) len);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void fuzzScanner(FuzzedDataProvider data) {
        checkAll(data.consumeRemainingAsBytes());
    }

    private static final String[] SEEDS = {
        "{\"card\":{\"number\":\"4539 1488 0343 6467\",\"cvc\":\"123\"},\"email\":\"jo@corp.com\"}",
        "password=hunter2!&email=jo%40corp.com&phone=%2B44+20+7946+0958",
        "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nssn 536-22-8190\r\n--b--\r\n",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx5pQ9vN3mK8jL2hG7fD4sA1zX6cV9bN0mQ3wE5rT8yU2iO7pA4sDx5pQ9vN3mK8\n-----END RSA PRIVATE KEY-----",
        "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A AKIA2E0A8F3B244C9986",
        "2001:db8::1 203.0.113.9 GB29NWBK60161331926819 JG 10 37 24 D 4918 2736 4553 48291037F X1234567L",
        "{\"e\":\"jo\\u0040corp.com\",\"u\":\"https:\\/\\/x.io\",\"s\":\"\\ud83d\\ude00 \\u0034539 1488 0343 6467\\n\"}",
    };

    private static final byte[] SPECIAL = "0123456789-. @:=\"{}[]\\%+/".getBytes(StandardCharsets.US_ASCII);

    @Test
    void mutatedPayloadsNeverBreakTheScanner() {
        var rnd = new Random(42);
        for (int iter = 0; iter < 3000; iter++) {
            byte[] b = SEEDS[rnd.nextInt(SEEDS.length)].getBytes(StandardCharsets.UTF_8);
            int mutations = 1 + rnd.nextInt(8);
            for (int m = 0; m < mutations; m++) {
                switch (rnd.nextInt(4)) {
                    case 0 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                    case 1 -> { // splice: duplicate a slice
                        int s = rnd.nextInt(b.length), e = Math.min(b.length, s + rnd.nextInt(40));
                        byte[] c = new byte[b.length + (e - s)];
                        System.arraycopy(b, 0, c, 0, e);
                        System.arraycopy(b, s, c, e, b.length - s);
                        b = c;
                    }
                    case 2 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncate
                    default -> b[rnd.nextInt(b.length)] = SPECIAL[rnd.nextInt(SPECIAL.length)];
                }
                if (b.length == 0) b = new byte[] {'0'};
            }
            checkAll(b);
        }
    }

    /** Worst-case shapes for a scanner that looks around candidates: everything is a candidate. */
    static byte[] adversarial(int size) {
        byte[] unit = ("4539 1488 0343 646 a@b.c ghp_aaaa sk_live_ -----BEGIN PRIVATE KEY----- eyJhbGciOiJ "
                + "12:34:: 1.2.3. +44 20 \"password\":\"x AKIA 0000-0000 ").getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = unit[i % unit.length];
        return b;
    }

    static byte[] oneLongToken(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) "abcDEF0123456789+/".charAt(i % 18); // base64-looking, no separators
        return b;
    }

    /** Realistic payloads (the seeds) joined into one line without newlines. */
    static byte[] seedsLine(int size) {
        byte[] unit = String.join(" ", SEEDS).replace('\n', ' ').replace('\r', ' ').getBytes(StandardCharsets.UTF_8);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = unit[i % unit.length];
        return b;
    }

    /** Bytes this thread allocated while scanning {@code in} as text, with the findings and the scan's work counter. */
    private record Cost(long allocated, long work, int findings) {}

    private static Cost cost(byte[] in) {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long a0 = mx.getCurrentThreadAllocatedBytes();
        List<Finding> f = ENGINE.scanText(in);
        long allocated = mx.getCurrentThreadAllocatedBytes() - a0;
        assertSpans(f, in.length);
        return new Cost(allocated, TextScanner.Scratch.current().work, f.size());
    }

    /**
     * Single-line inputs of 10 and 100 MB, without a clock: the work counter (candidates and validator calls;
     * every validator reads a window of constant size) and the allocations grow in proportion to the input,
     * and what a scan keeps is bounded by the findings cap, not by the input. One 100 MB token allocates no
     * more than a small one (its Base64 look is capped).
     */
    @Test
    void hundredMegabyteSingleLinesScanWithLinearWorkAndBoundedMemory() {
        cost(seedsLine(1 << 20)); // warm-up: one-time allocations (metadata, per-thread buffers) are not counted below
        Cost small = cost(seedsLine(10 << 20)), big = cost(seedsLine(100 << 20));
        System.out.printf("seeds line 10 MB: %s%nseeds line 100 MB: %s%n", small, big);
        assertThat((double) big.work() / small.work()).isBetween(9.5, 10.5);
        assertThat(big.allocated()).isLessThan(small.allocated() * 11);
        assertThat(big.findings()).isLessThanOrEqualTo(TextScanner.MAX_FINDINGS);

        cost(oneLongToken(1 << 20));
        Cost tokenSmall = cost(oneLongToken(1 << 20)), tokenBig = cost(oneLongToken(100 << 20));
        System.out.printf("one token 1 MB: %s%none token 100 MB: %s%n", tokenSmall, tokenBig);
        assertThat(tokenBig.allocated()).isLessThan(1 << 20); // nothing proportional to the 100 MB
        assertThat(tokenBig.findings()).isZero();

        Cost advSmall = cost(adversarial(1 << 20)), advBig = cost(adversarial(10 << 20));
        System.out.printf("adversarial 1 MB: %s%nadversarial 10 MB: %s%n", advSmall, advBig);
        assertThat((double) advBig.work() / advSmall.work()).isBetween(9.5, 10.5);
        assertThat(advBig.findings()).isLessThanOrEqualTo(TextScanner.MAX_FINDINGS);
        // Past the findings cap a scan keeps nothing more, so it allocates less per byte than before it.
        assertThat(advBig.allocated()).isLessThan(advSmall.allocated() * 11);
    }

    @Test
    @Tag("slow")
    void hundredMegabyteSingleLineScansInLinearTimeAndBoundedMemory() {
        // Linear: the time per byte at 100 MB stays within a small factor of the time per byte at 10 MB.
        for (int round = 0; round < 2; round++) ENGINE.scanText(adversarial(10 << 20));
        long t10 = time(adversarial(10 << 20));
        Runtime.getRuntime().gc();
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        byte[] big = adversarial(100 << 20);
        long t0 = System.nanoTime();
        List<Finding> kept = ENGINE.scanText(big);
        long t100 = System.nanoTime() - t0;
        Runtime.getRuntime().gc();
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        long retained = after - before - big.length;
        System.out.printf("10 MB: %d ms, 100 MB: %d ms, findings kept: %d, retained beyond the input: %d MB%n",
                t10 / 1_000_000, t100 / 1_000_000, kept.size(), retained >> 20);
        assertThat(kept).hasSizeLessThanOrEqualTo(TextScanner.MAX_FINDINGS);
        assertThat(retained).isLessThan(256L << 20); // bounded by the findings cap, not by the input size
        assertThat(t100).isLessThan(t10 * 30); // 10x the bytes; generous for a noisy machine
    }

    private static long time(byte[] in) {
        long t0 = System.nanoTime();
        ENGINE.scanText(in);
        return System.nanoTime() - t0;
    }
}

package io.portcullis.gateway.webhook;

import static io.portcullis.gateway.webhook.TestSigning.b64;
import static io.portcullis.gateway.webhook.TestSigning.hex;
import static io.portcullis.gateway.webhook.TestSigning.hmac;
import static io.portcullis.gateway.webhook.TestSigning.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Robustness of header parsing and verification on hostile input: no exception escapes
 * ({@link WebhookVerifier#verifyStrict} has no catch-all), no secret is echoed, and work stays linear
 * (inputs at every size limit finish well inside generous timeouts; no timing is asserted).
 *
 * <p>Modes: in the default suite {@link #verifyNeverThrows} runs Jazzer in regression mode over the
 * committed seeds in {@code WebhookVerifierFuzzTestInputs/}, and {@link #mutatedValidRequestsNeverThrow}
 * mutates correctly signed requests with a fixed-seed PRNG (bounded count). For coverage-guided
 * fuzzing run: {@code JAZZER_FUZZ=1 ./mvnw -o -pl gateway -am verify -Dtest='WebhookVerifierFuzzTest#verifyNeverThrows'
 * -Dsurefire.failIfNoSpecifiedTests=false} (stops after maxDuration). The long PRNG run is tagged "slow".
 */
class WebhookVerifierFuzzTest {

    private static final WebhookFuzzTarget TARGET = new WebhookFuzzTarget();

    @FuzzTest(maxDuration = "30s")
    void verifyNeverThrows(byte[] data) {
        TARGET.run(data);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void mutatedValidRequestsNeverThrow() {
        assertThat(mutationRounds(new Random(0x5EEDL), 20_000)).isGreaterThan(0);
    }

    @Test
    @Tag("slow")
    void mutatedValidRequestsNeverThrowLongRun() {
        assertThat(mutationRounds(new Random(System.nanoTime()), 2_000_000)).isGreaterThan(0);
    }

    /** Runs {@code rounds} mutations of valid requests; returns how many of them still verified. */
    static int mutationRounds(Random rnd, int rounds) {
        WebhookFuzzTarget target = new WebhookFuzzTarget(); // fresh replay stores
        List<byte[]> valid = validInputs();
        for (byte[] v : valid) {
            assertThat(target.run(v)).as("seed must verify: %s", new String(v, StandardCharsets.ISO_8859_1)).isInstanceOf(WebhookVerdict.Verified.class);
        }
        int verified = 0;
        for (int i = 0; i < rounds; i++) {
            byte[] input = mutate(valid.get(rnd.nextInt(valid.size())).clone(), rnd);
            if (target.run(input).isVerified()) {
                verified++;
            }
        }
        return verified + 1; // seeds verified
    }

    static byte[] mutate(byte[] in, Random rnd) {
        byte[] out = in;
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && out.length > 0; e++) {
            int at = rnd.nextInt(out.length);
            switch (rnd.nextInt(6)) {
                case 0 -> out[at] = (byte) rnd.nextInt(256);
                case 1 -> {
                    String specials = ",=; \n%&+v1t0~-";
                    out[at] = (byte) specials.charAt(rnd.nextInt(specials.length()));
                }
                case 2 -> { // delete a range
                    int len = Math.min(out.length - at, 1 + rnd.nextInt(8));
                    byte[] n = new byte[out.length - len];
                    System.arraycopy(out, 0, n, 0, at);
                    System.arraycopy(out, at + len, n, at, out.length - at - len);
                    out = n;
                }
                case 3 -> { // duplicate a range
                    int len = Math.min(out.length - at, 1 + rnd.nextInt(16));
                    byte[] n = new byte[out.length + len];
                    System.arraycopy(out, 0, n, 0, at + len);
                    System.arraycopy(out, at, n, at + len, out.length - at);
                    out = n;
                }
                case 4 -> out[at] = (byte) (out[at] ^ (1 << rnd.nextInt(8)));
                default -> { // flip hex case / digit
                    char c = (char) out[at];
                    out[at] = (byte) (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
                }
            }
        }
        return out;
    }

    /** One correctly signed input per vendor in the harness layout. */
    static List<byte[]> validInputs() {
        long now = WebhookFuzzTarget.NOW;
        byte[] key = utf8(WebhookFuzzTarget.SECRET_TEXT);
        List<byte[]> out = new ArrayList<>();
        String body = "{\"id\":\"evt_fuzz\",\"type\":\"x\"}";
        out.add(utf8("\u0000\nt=" + now + ",v1=" + hex(hmac("HmacSHA256", key, now + "." + body)) + "\n-\n-\n-\n\n" + body));
        out.add(utf8("\u0001\nsha256=" + hex(hmac("HmacSHA256", key, body)) + "\nd-1\n-\n-\n\n" + body));
        String form = "payload=%7B%22a%22%3A1%7D&x=y+z";
        out.add(utf8("\u0002\n" + now + "\nv0=" + hex(hmac("HmacSHA256", key, "v0:" + now + ":" + form)) + "\n-\n-\n\n" + form));
        out.add(utf8("\u0003\n" + b64(hmac("HmacSHA256", key, body)) + "\nw-1\n-\n-\n\n" + body));
        String url = "https://h.example/tw?x=1";
        out.add(utf8("\u0004\n" + b64(hmac("HmacSHA1", key, url + "CallSidCA1To+1555xy z")) + "\n-\n-\n-\n" + url + "\nCallSid=CA1&To=%2B1555&x=y+z"));
        String sig = "v1," + b64(hmac("HmacSHA256", key, "msg_f." + now + "." + body));
        out.add(utf8("\u0005\nmsg_f\n" + now + "\n" + sig + "\n-\n\n" + body));
        return out;
    }

    /** Inputs at every size limit, with separators chosen to stress the splitters. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void inputsAtTheSizeLimitsAreRefusedWithoutBlowup() {
        String[] fillers = {",", "=", " ", "v1=", "t=1,", "v1,", "v1a,", "%", "&", "a=", "0", "=,", "\u00ff"};
        int verdicts = 0;
        for (int kind = 0; kind < 6; kind++) {
            for (String f : fillers) {
                String big = f.repeat(8192 / f.length());
                for (int slot = 1; slot <= 4; slot++) {
                    StringBuilder in = new StringBuilder().append((char) kind);
                    for (int s = 1; s <= 4; s++) {
                        in.append('\n').append(s == slot ? big : "1");
                    }
                    in.append("\nhttps://h.example/?").append(big).append('\n');
                    byte[] body = (f.repeat(1 << 20 / Math.max(1, f.length()))).getBytes(StandardCharsets.ISO_8859_1);
                    byte[] head = in.toString().getBytes(StandardCharsets.ISO_8859_1);
                    byte[] all = new byte[head.length + body.length];
                    System.arraycopy(head, 0, all, 0, head.length);
                    System.arraycopy(body, 0, all, head.length, body.length);
                    assertThat(TARGET.run(all).isVerified()).isFalse();
                    verdicts++;
                }
            }
        }
        assertThat(verdicts).isEqualTo(6 * fillers.length * 4);
    }
}

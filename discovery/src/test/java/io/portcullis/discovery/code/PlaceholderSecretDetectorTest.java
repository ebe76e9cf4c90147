package io.portcullis.discovery.code;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The placeholder's three token shapes, built here from their documented formats (not copied from fixtures). */
class PlaceholderSecretDetectorTest {
    static List<String> find(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return new PlaceholderSecretDetector().find(b, b.length).stream().map(m -> m.start() + " " + m.type() + " " + m.maskedPreview()).toList();
    }

    @Test
    void findsEachShapeAtItsOffsetWithAMaskedPreview() {
        String aws = "AKIA" + "Q".repeat(12) + "2345";
        String stripe = "rk_test_" + "a1".repeat(12);
        String gh = "ghp_" + "Z9".repeat(18);
        assertThat(find("x=" + aws + "\ny='" + stripe + "' " + gh))
                .containsExactly("2 aws-access-key-id AKIA******** (20 chars)",
                        "26 stripe-secret-key rk_t******** (32 chars)",
                        "60 github-token ghp_******** (40 chars)");
    }

    @Test
    void ignoresLookalikesThatAreTooShortTooLongOrInsideAWord() {
        assertThat(find("AKIA" + "Q".repeat(15))).isEmpty();                 // 19 characters
        assertThat(find("AKIA" + "Q".repeat(17))).isEmpty();                 // 21 characters
        assertThat(find("XAKIA" + "Q".repeat(16))).isEmpty();                // not at a token start
        assertThat(find("AKIA" + "Q".repeat(15) + "1")).isEmpty();           // 1 is not base32
        assertThat(find("sk_live_short")).isEmpty();
        assertThat(find("task_live_" + "a".repeat(30))).isEmpty();
        assertThat(find("ghp_" + "a".repeat(35))).isEmpty();
        assertThat(find("")).isEmpty();
        assertThat(find("_K")).isEmpty();
    }
}

package io.portcullis.gateway.webhook;

import static io.portcullis.gateway.webhook.TestSigning.hex;
import static io.portcullis.gateway.webhook.TestSigning.hmac;
import static io.portcullis.gateway.webhook.TestSigning.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.webhook.TestSigning.MutableClock;
import io.portcullis.gateway.webhook.WebhookVerdict.Rejected;
import io.portcullis.gateway.webhook.WebhookVerdict.Verified;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Verifier-level guarantees that hold for every vendor kind. */
class WebhookVerifierTest {
    static final long NOW = 1_732_000_000L;
    final MutableClock clock = MutableClock.atEpochSecond(NOW);

    @Test
    void concurrentDeliveriesOfOneSignedRequestAreAcceptedExactlyOnce() throws Exception {
        String secret = "whsec_concurrency";
        String body = "{\"id\":\"evt_race\"}";
        var verifier = WebhookVerifier.create(WebhookConfig.of("s", VendorKind.STRIPE, WebhookSecrets.of(utf8(secret))), clock);
        var req = new WebhookRequest(utf8(body), WebhookHeaders.ofSingle("Stripe-Signature",
                "t=" + NOW + ",v1=" + hex(hmac("HmacSHA256", utf8(secret), NOW + "." + body))));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<WebhookVerdict>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return verifier.verify(req);
                }));
            }
            start.countDown();
            int verified = 0;
            int replayed = 0;
            for (Future<WebhookVerdict> f : results) {
                WebhookVerdict v = f.get(30, TimeUnit.SECONDS);
                if (v instanceof Verified) {
                    verified++;
                } else if (v instanceof Rejected r && r.reason() == RejectReason.REPLAYED) {
                    replayed++;
                }
            }
            assertThat(verified).isEqualTo(1);
            assertThat(replayed).isEqualTo(31);
            assertThat(verifier.replayStats()).hasValueSatisfying(s -> assertThat(s.replaysRefused()).isEqualTo(31));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFaultyHeaderAdapterBecomesAnInternalErrorVerdictNotAnException() {
        var verifier = WebhookVerifier.create(WebhookConfig.of("g", VendorKind.GITHUB, WebhookSecrets.of(utf8("k"))), clock);
        WebhookHeaders broken = name -> { throw new IllegalStateException("adapter bug"); };
        var verdict = verifier.verify(new WebhookRequest(utf8("{}"), broken));
        assertThat(verdict).isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(RejectReason.INTERNAL_ERROR);
            assertThat(r.reason().httpStatus()).isEqualTo(500);
            assertThat(r.message()).doesNotContain("adapter bug");
        });
        assertThat(verifier.internalErrors()).isEqualTo(1);
    }

    @Test
    void everyVendorRefusesARequestWithoutHeadersAsMissingHeader() {
        for (VendorKind kind : VendorKind.values()) {
            byte[] secret = kind == VendorKind.STANDARD_WEBHOOKS ? utf8("whsec_c2VjcmV0") : utf8("secret");
            var verifier = WebhookVerifier.create(WebhookConfig.of(kind.name(), kind, WebhookSecrets.of(secret)), clock);
            assertThat(verifier.verify(new WebhookRequest(new byte[0], WebhookHeaders.ofSingle(), "https://h.example/")))
                    .as(kind.name())
                    .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.MISSING_HEADER));
        }
    }

    @Test
    void rejectionsNeverRevealTheExpectedSignature() {
        String body = "{\"a\":1}";
        String expected = hex(hmac("HmacSHA256", utf8("k"), body));
        var verifier = WebhookVerifier.create(WebhookConfig.of("g", VendorKind.GITHUB, WebhookSecrets.of(utf8("k"))), clock);
        var v = verifier.verify(new WebhookRequest(utf8(body), WebhookHeaders.ofSingle("X-Hub-Signature-256", "sha256=" + "0".repeat(64))));
        assertThat(v).isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.message()).doesNotContain(expected).doesNotContain(expected.substring(0, 8)).doesNotContain("k\"");
            assertThat(r.toString()).doesNotContain(expected);
        });
    }
}

package io.portcullis.gateway.webhook;

import static io.portcullis.gateway.webhook.TestSigning.hex;
import static io.portcullis.gateway.webhook.TestSigning.hmac;
import static io.portcullis.gateway.webhook.TestSigning.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.webhook.TestSigning.MutableClock;
import io.portcullis.gateway.webhook.WebhookVerdict.Rejected;
import io.portcullis.gateway.webhook.WebhookVerdict.Verified;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Stripe-Signature verification. Stripe publishes no fixed test vector, so these vectors are
 * constructed here: the test signs {@code t.body} with plain javax.crypto following Stripe's
 * documentation ("Verify the events that Stripe sends", docs.stripe.com/webhooks#verify-manually).
 */
class StripeVerificationTest {
    static final long NOW = 1_732_000_000L;
    static final String SECRET = "whsec_test_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH"; // made up; used as text, as Stripe does
    static final String OLD_SECRET = "whsec_old_0123456789abcdefghijklmnopqrstuv";
    static final String BODY = "{\n  \"id\": \"evt_1QabcDEF\",\n  \"object\": \"event\",\n  \"type\": \"payment_intent.succeeded\"\n}";

    final MutableClock clock = MutableClock.atEpochSecond(NOW);

    WebhookVerifier verifier(String... secrets) {
        byte[][] keys = new byte[secrets.length][];
        for (int i = 0; i < secrets.length; i++) {
            keys[i] = utf8(secrets[i]);
        }
        return WebhookVerifier.create(WebhookConfig.of("stripe", VendorKind.STRIPE, WebhookSecrets.of(keys)), clock);
    }

    static String v1(String secret, long t, String body) {
        return hex(hmac("HmacSHA256", utf8(secret), t + "." + body));
    }

    static WebhookRequest request(String header, String body) {
        return new WebhookRequest(utf8(body), WebhookHeaders.ofSingle("Stripe-Signature", header));
    }

    static RejectReason reason(WebhookVerdict v) {
        assertThat(v).isInstanceOf(Rejected.class);
        return ((Rejected) v).reason();
    }

    @Test
    void validSignatureVerifiesAndReportsEventIdFromSignedBody() {
        var v = verifier(SECRET).verify(request("t=" + NOW + ",v1=" + v1(SECRET, NOW, BODY) + ",v0=deadbeef", BODY));
        assertThat(v).isInstanceOfSatisfying(Verified.class, ok -> {
            assertThat(ok.vendorEventId()).contains("evt_1QabcDEF");
            assertThat(ok.timestamp()).contains(Instant.ofEpochSecond(NOW));
        });
    }

    @Test
    void uppercaseHexAndSpacesAfterCommasAreAccepted() {
        var v = verifier(SECRET).verify(request("t=" + NOW + ", v1=" + v1(SECRET, NOW, BODY).toUpperCase(), BODY));
        assertThat(v).isInstanceOf(Verified.class);
    }

    @Test
    void wrongSecretIsASignatureMismatch() {
        var v = verifier("whsec_someone_else").verify(request("t=" + NOW + ",v1=" + v1(SECRET, NOW, BODY), BODY));
        assertThat(reason(v)).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
        assertThat(((Rejected) v).message()).doesNotContain(SECRET).doesNotContain(v1("whsec_someone_else", NOW, BODY));
    }

    @Test
    void tamperedBodyIsRefused() {
        var v = verifier(SECRET).verify(request("t=" + NOW + ",v1=" + v1(SECRET, NOW, BODY), BODY.replace("succeeded", "failed")));
        assertThat(reason(v)).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
    }

    @Test
    void tamperedTimestampIsRefused() {
        var v = verifier(SECRET).verify(request("t=" + (NOW - 1) + ",v1=" + v1(SECRET, NOW, BODY), BODY));
        assertThat(reason(v)).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
    }

    @Test
    void timestampWindowEdgesAreInclusiveAndBeyondIsRefused() {
        long oldest = NOW - 300;
        assertThat(verifier(SECRET).verify(request("t=" + oldest + ",v1=" + v1(SECRET, oldest, BODY), BODY))).isInstanceOf(Verified.class);
        long tooOld = NOW - 301;
        assertThat(reason(verifier(SECRET).verify(request("t=" + tooOld + ",v1=" + v1(SECRET, tooOld, BODY), BODY))))
                .isEqualTo(RejectReason.TIMESTAMP_TOO_OLD);
        long newest = NOW + 300;
        assertThat(verifier(SECRET).verify(request("t=" + newest + ",v1=" + v1(SECRET, newest, BODY), BODY))).isInstanceOf(Verified.class);
        long tooNew = NOW + 301;
        assertThat(reason(verifier(SECRET).verify(request("t=" + tooNew + ",v1=" + v1(SECRET, tooNew, BODY), BODY))))
                .isEqualTo(RejectReason.TIMESTAMP_IN_FUTURE);
    }

    @Test
    void configuredToleranceReplacesTheDefault() {
        var config = WebhookConfig.of("stripe", VendorKind.STRIPE, WebhookSecrets.of(utf8(SECRET)))
                .withTolerance(Duration.ofSeconds(30), Duration.ofSeconds(5));
        var verifier = WebhookVerifier.create(config, clock);
        long t = NOW - 31;
        assertThat(reason(verifier.verify(request("t=" + t + ",v1=" + v1(SECRET, t, BODY), BODY)))).isEqualTo(RejectReason.TIMESTAMP_TOO_OLD);
        long f = NOW + 6;
        assertThat(reason(verifier.verify(request("t=" + f + ",v1=" + v1(SECRET, f, BODY), BODY)))).isEqualTo(RejectReason.TIMESTAMP_IN_FUTURE);
        assertThat(verifier.verify(request("t=" + (NOW - 30) + ",v1=" + v1(SECRET, NOW - 30, BODY), BODY))).isInstanceOf(Verified.class);
    }

    @Test
    void rotationAcceptsEitherSecretAndEitherSignatureEntry() {
        var both = verifier(OLD_SECRET, SECRET);
        // Stripe sends one v1 per active secret during rotation
        String header = "t=" + NOW + ",v1=" + v1("whsec_unrelated", NOW, BODY) + ",v1=" + v1(SECRET, NOW, BODY);
        assertThat(both.verify(request(header, BODY))).isInstanceOf(Verified.class);
        String body2 = BODY.replace("evt_1QabcDEF", "evt_2");
        assertThat(both.verify(request("t=" + NOW + ",v1=" + v1(OLD_SECRET, NOW, body2), body2))).isInstanceOf(Verified.class);
        // after rotation completes, the old secret no longer verifies
        String body3 = BODY.replace("evt_1QabcDEF", "evt_3");
        assertThat(reason(verifier(SECRET).verify(request("t=" + NOW + ",v1=" + v1(OLD_SECRET, NOW, body3), body3))))
                .isEqualTo(RejectReason.SIGNATURE_MISMATCH);
    }

    @Test
    void secondDeliveryOfTheSameSignedRequestIsAReplay() {
        var verifier = verifier(SECRET);
        var req = request("t=" + NOW + ",v1=" + v1(SECRET, NOW, BODY), BODY);
        assertThat(verifier.verify(req)).isInstanceOf(Verified.class);
        assertThat(reason(verifier.verify(req))).isEqualTo(RejectReason.REPLAYED);
        // Stripe retries with a fresh t, so a retried event has a new signature and is accepted
        long t2 = NOW + 60;
        clock.advanceSeconds(60);
        assertThat(verifier.verify(request("t=" + t2 + ",v1=" + v1(SECRET, t2, BODY), BODY))).isInstanceOf(Verified.class);
    }

    @Test
    void releasedVerdictLetsTheRetryThrough() {
        var verifier = verifier(SECRET);
        var req = request("t=" + NOW + ",v1=" + v1(SECRET, NOW, BODY), BODY);
        var first = (Verified) verifier.verify(req);
        verifier.release(first); // e.g. the internal service was down
        assertThat(verifier.verify(req)).isInstanceOf(Verified.class);
    }

    @Test
    void malformedHeadersAreRefusedWithAClearReason() {
        String sig = v1(SECRET, NOW, BODY);
        var verifier = verifier(SECRET);
        assertThat(reason(verifier.verify(new WebhookRequest(utf8(BODY), WebhookHeaders.ofSingle())))).isEqualTo(RejectReason.MISSING_HEADER);
        assertThat(reason(verifier.verify(request("v1=" + sig, BODY)))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(request("t=" + NOW, BODY)))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(request("t=" + NOW + ",v0=" + sig, BODY)))).isEqualTo(RejectReason.UNSUPPORTED_SIGNATURE_VERSION);
        assertThat(reason(verifier.verify(request("t=" + NOW + ",v1=" + sig.replace(sig.charAt(0), 'z'), BODY)))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(request("t=" + NOW + ",v1=" + sig.substring(2), BODY)))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(request("t=-5,v1=" + sig, BODY)))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(request("t=1e9,v1=" + sig, BODY)))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(request("t=99999999999999999999,v1=" + sig, BODY)))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(request("t=" + NOW + ",t=" + NOW + ",v1=" + sig, BODY)))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(request("t=" + NOW + ",garbage,v1=" + sig, BODY)))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(request("   ", BODY)))).isEqualTo(RejectReason.MALFORMED_HEADER);
    }

    @Test
    void seventeenSignaturesAreRefusedSixteenAreConsidered() {
        String good = v1(SECRET, NOW, BODY);
        String junk = v1("whsec_x", NOW, BODY);
        StringBuilder sixteen = new StringBuilder("t=" + NOW);
        for (int i = 0; i < 15; i++) {
            sixteen.append(",v1=").append(junk);
        }
        sixteen.append(",v1=").append(good);
        assertThat(verifier(SECRET).verify(request(sixteen.toString(), BODY))).isInstanceOf(Verified.class);
        assertThat(reason(verifier(SECRET).verify(request(sixteen + ",v1=" + junk, BODY)))).isEqualTo(RejectReason.MALFORMED_HEADER);
    }

    @Test
    void emptyBodyIsVerifiedLikeAnyOther() {
        assertThat(verifier(SECRET).verify(request("t=" + NOW + ",v1=" + v1(SECRET, NOW, ""), "")))
                .isInstanceOfSatisfying(Verified.class, v -> assertThat(v.vendorEventId()).isEmpty());
        assertThat(reason(verifier(SECRET).verify(request("t=" + NOW + ",v1=" + v1(SECRET, NOW, " "), ""))))
                .isEqualTo(RejectReason.SIGNATURE_MISMATCH);
    }
}

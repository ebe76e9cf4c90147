package io.portcullis.gateway.webhook;

import static io.portcullis.gateway.webhook.TestSigning.b64;
import static io.portcullis.gateway.webhook.TestSigning.hex;
import static io.portcullis.gateway.webhook.TestSigning.hmac;
import static io.portcullis.gateway.webhook.TestSigning.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.webhook.TestSigning.MutableClock;
import io.portcullis.gateway.webhook.WebhookVerdict.Rejected;
import io.portcullis.gateway.webhook.WebhookVerdict.Verified;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * GitHub, Shopify and Slack beyond their published examples. Vectors here are constructed by the test
 * (plain javax.crypto) following each vendor's documentation: GitHub "Validating webhook deliveries",
 * Shopify "Verify webhooks" (shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook),
 * Slack "Verifying requests from Slack".
 */
class HmacBodySchemesTest {
    static final long NOW = 1_732_000_000L;
    final MutableClock clock = MutableClock.atEpochSecond(NOW);

    WebhookVerifier verifier(VendorKind kind, String... secrets) {
        byte[][] keys = new byte[secrets.length][];
        for (int i = 0; i < secrets.length; i++) {
            keys[i] = utf8(secrets[i]);
        }
        return WebhookVerifier.create(WebhookConfig.of(kind.name(), kind, WebhookSecrets.of(keys)), clock);
    }

    static RejectReason reason(WebhookVerdict v) {
        assertThat(v).isInstanceOf(Rejected.class);
        return ((Rejected) v).reason();
    }

    static WebhookRequest github(String body, String signatureHeader, String delivery) {
        return new WebhookRequest(utf8(body), WebhookHeaders.ofSingle("x-hub-signature-256", signatureHeader, "X-GitHub-Delivery", delivery));
    }

    static String ghSig(String secret, String body) {
        return "sha256=" + hex(hmac("HmacSHA256", utf8(secret), body));
    }

    @Test
    void githubVerifiesWithLowercaseHeaderNameAndReportsDeliveryId() {
        String body = "{\"action\":\"opened\",\"number\":7}";
        var v = verifier(VendorKind.GITHUB, "gh-secret").verify(github(body, ghSig("gh-secret", body), "72d3162e-cc78-11e3-81ab-4c9367dc0958"));
        assertThat(v).isInstanceOfSatisfying(Verified.class, ok -> {
            assertThat(ok.vendorEventId()).contains("72d3162e-cc78-11e3-81ab-4c9367dc0958");
            assertThat(ok.timestamp()).isEmpty();
        });
    }

    @Test
    void githubReplayIsRefusedEvenWithAFreshDeliveryHeaderBecauseTheKeyIsTheSignature() {
        String body = "{\"action\":\"closed\"}";
        var verifier = verifier(VendorKind.GITHUB, "gh-secret");
        assertThat(verifier.verify(github(body, ghSig("gh-secret", body), "id-1"))).isInstanceOf(Verified.class);
        assertThat(reason(verifier.verify(github(body, ghSig("gh-secret", body), "id-2-forged")))).isEqualTo(RejectReason.REPLAYED);
    }

    @Test
    void githubReplayWindowIsTimeBounded() {
        String body = "{\"zen\":\"Keep it logically awesome.\"}";
        var config = WebhookConfig.of("gh", VendorKind.GITHUB, WebhookSecrets.of(utf8("s"))).withReplay(Duration.ofMinutes(10), 100);
        var verifier = WebhookVerifier.create(config, clock);
        assertThat(verifier.verify(github(body, ghSig("s", body), "a"))).isInstanceOf(Verified.class);
        clock.advanceSeconds(599);
        assertThat(reason(verifier.verify(github(body, ghSig("s", body), "a")))).isEqualTo(RejectReason.REPLAYED);
        clock.advanceSeconds(1);
        assertThat(verifier.verify(github(body, ghSig("s", body), "a"))).isInstanceOf(Verified.class);
    }

    @Test
    void githubMalformedAndLegacyHeaders() {
        var verifier = verifier(VendorKind.GITHUB, "s");
        var legacyOnly = new WebhookRequest(utf8("x"), WebhookHeaders.ofSingle("X-Hub-Signature", "sha1=" + "0".repeat(40)));
        assertThat(reason(verifier.verify(legacyOnly))).isEqualTo(RejectReason.UNSUPPORTED_SIGNATURE_VERSION);
        assertThat(reason(verifier.verify(github("x", "sha1=" + "0".repeat(64), "d")))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(github("x", "sha256=" + "g".repeat(64), "d")))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(github("x", "sha256=", "d")))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(github("x", "sha256=" + "a".repeat(8193), "d")))).isEqualTo(RejectReason.HEADER_TOO_LARGE);
        // Arabic-Indic digits are digits to Character.digit but not hex to GitHub
        assertThat(reason(verifier.verify(github("x", "sha256=" + "\u0661".repeat(64), "d")))).isEqualTo(RejectReason.MALFORMED_HEADER);
    }

    @Test
    void duplicateSignatureHeaderIsRefused() {
        String body = "{}";
        var headers = WebhookHeaders.of(java.util.Map.of("X-Hub-Signature-256", java.util.List.of(ghSig("s", body), ghSig("s", body))));
        assertThat(reason(verifier(VendorKind.GITHUB, "s").verify(new WebhookRequest(utf8(body), headers))))
                .isEqualTo(RejectReason.DUPLICATE_HEADER);
    }

    @Test
    void githubUnprintableDeliveryIdIsNotReported() {
        String body = "{}";
        var v = verifier(VendorKind.GITHUB, "s").verify(github(body, ghSig("s", body), "evil\r\nX-Injected: 1"));
        assertThat(v).isInstanceOfSatisfying(Verified.class, ok -> assertThat(ok.vendorEventId()).isEmpty());
    }

    static WebhookRequest shopify(String body, String hmacB64) {
        return new WebhookRequest(utf8(body), WebhookHeaders.ofSingle("X-Shopify-Hmac-Sha256", hmacB64, "X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"));
    }

    @Test
    void shopifyBase64HmacVerifiesAndRotationAcceptsBothSecrets() {
        String body = "{\"id\":820982911946154508,\"email\":\"jon@example.com\",\"note\":\"Grüße\"}";
        var verifier = verifier(VendorKind.SHOPIFY, "shpss_old", "shpss_new");
        assertThat(verifier.verify(shopify(body, b64(hmac("HmacSHA256", utf8("shpss_new"), body)))))
                .isInstanceOfSatisfying(Verified.class, ok -> assertThat(ok.vendorEventId()).contains("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"));
        String body2 = body.replace("jon", "ann");
        assertThat(verifier.verify(shopify(body2, b64(hmac("HmacSHA256", utf8("shpss_old"), body2))))).isInstanceOf(Verified.class);
    }

    @Test
    void shopifyRefusesWrongSecretTamperedBodyAndBadBase64() {
        String body = "{\"id\":1}";
        var verifier = verifier(VendorKind.SHOPIFY, "shpss_right");
        assertThat(reason(verifier.verify(shopify(body, b64(hmac("HmacSHA256", utf8("shpss_wrong"), body)))))).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
        assertThat(reason(verifier.verify(shopify("{\"id\":2}", b64(hmac("HmacSHA256", utf8("shpss_right"), body)))))).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
        assertThat(reason(verifier.verify(shopify(body, "not*base64")))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(shopify(body, b64(new byte[20]))))).isEqualTo(RejectReason.MALFORMED_HEADER);
    }

    static WebhookRequest slack(String body, String ts, String sig) {
        return new WebhookRequest(utf8(body), WebhookHeaders.ofSingle("X-Slack-Request-Timestamp", ts, "X-Slack-Signature", sig));
    }

    static String slackSig(String secret, String ts, String body) {
        return "v0=" + hex(hmac("HmacSHA256", utf8(secret), "v0:" + ts + ":" + body));
    }

    @Test
    void slackTamperedTimestampWrongSecretAndReplay() {
        String body = "payload=%7B%22type%22%3A%22block_actions%22%7D";
        String ts = Long.toString(NOW - 20);
        var verifier = verifier(VendorKind.SLACK, "slack-secret");
        assertThat(reason(verifier.verify(slack(body, Long.toString(NOW - 19), slackSig("slack-secret", ts, body))))).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
        assertThat(reason(verifier.verify(slack(body, ts, slackSig("other", ts, body))))).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
        assertThat(verifier.verify(slack(body, ts, slackSig("slack-secret", ts, body)))).isInstanceOf(Verified.class);
        assertThat(reason(verifier.verify(slack(body, ts, slackSig("slack-secret", ts, body))))).isEqualTo(RejectReason.REPLAYED);
    }

    @Test
    void slackWindowIsFiveMinutesBothWays() {
        var verifier = verifier(VendorKind.SLACK, "k");
        for (long offset : new long[] {-300, 300}) {
            String ts = Long.toString(NOW + offset);
            assertThat(verifier.verify(slack("a=" + offset, ts, slackSig("k", ts, "a=" + offset)))).isInstanceOf(Verified.class);
        }
        String old = Long.toString(NOW - 301);
        assertThat(reason(verifier.verify(slack("a", old, slackSig("k", old, "a"))))).isEqualTo(RejectReason.TIMESTAMP_TOO_OLD);
        String future = Long.toString(NOW + 301);
        assertThat(reason(verifier.verify(slack("a", future, slackSig("k", future, "a"))))).isEqualTo(RejectReason.TIMESTAMP_IN_FUTURE);
    }

    @Test
    void slackMalformedHeaders() {
        var verifier = verifier(VendorKind.SLACK, "k");
        String ts = Long.toString(NOW);
        String good = slackSig("k", ts, "a");
        assertThat(reason(verifier.verify(new WebhookRequest(utf8("a"), WebhookHeaders.ofSingle("X-Slack-Signature", good))))).isEqualTo(RejectReason.MISSING_HEADER);
        assertThat(reason(verifier.verify(slack("a", "12.5", good)))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(slack("a", ts, "v1=" + good.substring(3))))).isEqualTo(RejectReason.UNSUPPORTED_SIGNATURE_VERSION);
        assertThat(reason(verifier.verify(slack("a", ts, good.substring(3))))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(slack("a", ts, good + "00")))).isEqualTo(RejectReason.MALFORMED_HEADER);
    }

    @Test
    void emptyBodyVerifiesForBodyOnlySchemes() {
        assertThat(verifier(VendorKind.GITHUB, "s").verify(github("", ghSig("s", ""), "d"))).isInstanceOf(Verified.class);
        assertThat(verifier(VendorKind.SHOPIFY, "s").verify(shopify("", b64(hmac("HmacSHA256", utf8("s"), ""))))).isInstanceOf(Verified.class);
    }
}

package io.portcullis.gateway.webhook;

import static io.portcullis.gateway.webhook.TestSigning.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.webhook.TestSigning.MutableClock;
import io.portcullis.gateway.webhook.WebhookVerdict.Rejected;
import io.portcullis.gateway.webhook.WebhookVerdict.Verified;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The vendors' own published examples verify, and a one-character change to each is refused. Every
 * vector is copied from the cited public document; none was produced by this code.
 */
class PublishedVectorsTest {

    /**
     * Source: GitHub Docs, "Validating webhook deliveries", section "Testing the webhook payload
     * validation" (docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
     */
    @Test
    void githubDocumentedExampleVerifies() {
        var verifier = WebhookVerifier.create(WebhookConfig.of("gh", VendorKind.GITHUB,
                WebhookSecrets.of(utf8("It's a Secret to Everybody"))), MutableClock.atEpochSecond(1_700_000_000L));
        var headers = WebhookHeaders.ofSingle("X-Hub-Signature-256",
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");

        assertThat(verifier.verify(new WebhookRequest(utf8("Hello, World!"), headers))).isInstanceOf(Verified.class);
        assertThat(verifier.verify(new WebhookRequest(utf8("Hello, World?"), headers)))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.SIGNATURE_MISMATCH));
    }

    /**
     * Source: Slack API docs, "Verifying requests from Slack" (api.slack.com/authentication/verifying-requests-from-slack),
     * worked example: signing secret, X-Slack-Request-Timestamp, slash-command body and expected v0 signature.
     */
    static final String SLACK_BODY = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
            + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
            + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    @Test
    void slackDocumentedExampleVerifiesInsideItsWindowOnly() {
        var clock = MutableClock.atEpochSecond(1531420618L + 10);
        var verifier = WebhookVerifier.create(WebhookConfig.of("slack", VendorKind.SLACK,
                WebhookSecrets.of(utf8("8f742231b10e8888abcd99yyyzzz85a5"))), clock);
        var headers = WebhookHeaders.ofSingle(
                "X-Slack-Request-Timestamp", "1531420618",
                "X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");

        var verdict = verifier.verify(new WebhookRequest(utf8(SLACK_BODY), headers));
        assertThat(verdict).isInstanceOfSatisfying(Verified.class,
                v -> assertThat(v.timestamp()).contains(Instant.ofEpochSecond(1531420618L)));

        clock.advanceSeconds(301);
        var fresh = WebhookVerifier.create(verifier.config(), clock);
        assertThat(fresh.verify(new WebhookRequest(utf8(SLACK_BODY), headers)))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.TIMESTAMP_TOO_OLD));
    }

    /**
     * Source: Twilio docs, "Webhooks security" / "Validating signatures from Twilio"
     * (twilio.com/docs/usage/webhooks/webhooks-security): auth token 12345, URL
     * https://mycompany.com/myapp.php?foo=1&bar=2, the five POST parameters, expected signature.
     */
    @Test
    void twilioDocumentedExampleVerifies() {
        var verifier = WebhookVerifier.create(WebhookConfig.of("twilio", VendorKind.TWILIO,
                WebhookSecrets.of(utf8("12345"))), MutableClock.atEpochSecond(1_700_000_000L));
        // Form-encoded as Twilio sends it ('+' in a value is %2B); deliberately not in sorted order.
        String body = "To=%2B18005551212&Digits=1234&From=%2B12349013030&Caller=%2B12349013030&CallSid=CA1234567890ABCDE";
        var headers = WebhookHeaders.ofSingle("X-Twilio-Signature", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");

        assertThat(verifier.verify(new WebhookRequest(utf8(body), headers, "https://mycompany.com/myapp.php?foo=1&bar=2")))
                .isInstanceOf(Verified.class);
        assertThat(verifier.verify(new WebhookRequest(utf8(body.replace("1234&", "1235&")), headers,
                "https://mycompany.com/myapp.php?foo=1&bar=2")))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.SIGNATURE_MISMATCH));
    }

    /**
     * Source: Standard Webhooks specification, section "Signature scheme" example
     * (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md): id, timestamp, body
     * {"test": 2432232314}, secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw and the resulting v1 signature.
     */
    @Test
    void standardWebhooksSpecExampleVerifies() {
        var verifier = WebhookVerifier.create(WebhookConfig.of("std", VendorKind.STANDARD_WEBHOOKS,
                WebhookSecrets.of(utf8("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))), MutableClock.atEpochSecond(1614265330L + 5));
        var headers = WebhookHeaders.ofSingle(
                "webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "webhook-timestamp", "1614265330",
                "webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");

        assertThat(verifier.verify(new WebhookRequest(utf8("{\"test\": 2432232314}"), headers)))
                .isInstanceOfSatisfying(Verified.class, v -> assertThat(v.vendorEventId()).contains("msg_p5jXN8AQM9LWM0D4loKWxJek"));
        assertThat(verifier.verify(new WebhookRequest(utf8("{\"test\": 2432232315}"), headers)))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.reason()).isEqualTo(RejectReason.SIGNATURE_MISMATCH));
    }
}

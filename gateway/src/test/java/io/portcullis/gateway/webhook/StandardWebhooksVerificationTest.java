package io.portcullis.gateway.webhook;

import static io.portcullis.gateway.webhook.TestSigning.b64;
import static io.portcullis.gateway.webhook.TestSigning.hmac;
import static io.portcullis.gateway.webhook.TestSigning.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.gateway.webhook.TestSigning.MutableClock;
import io.portcullis.gateway.webhook.WebhookVerdict.Rejected;
import io.portcullis.gateway.webhook.WebhookVerdict.Verified;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Standard Webhooks beyond the spec's example. Vectors are constructed here per the specification
 * (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md): v1 = base64
 * HMAC-SHA256 over "id.timestamp.body" with the base64-decoded whsec_ secret; v1a = base64 ed25519
 * signature over the same content, public key as whpk_ + base64 of the raw 32 bytes. The ed25519 key
 * pair is generated per run (no published v1a vector is used).
 */
class StandardWebhooksVerificationTest {
    static final long NOW = 1_732_000_000L;
    static final byte[] SECRET_RAW = "0123456789abcdef0123456789abcdef".getBytes();
    static final String SECRET = "whsec_" + b64(SECRET_RAW);
    final MutableClock clock = MutableClock.atEpochSecond(NOW);

    WebhookVerifier verifier(String... secrets) {
        byte[][] keys = new byte[secrets.length][];
        for (int i = 0; i < secrets.length; i++) {
            keys[i] = utf8(secrets[i]);
        }
        return WebhookVerifier.create(WebhookConfig.of("std", VendorKind.STANDARD_WEBHOOKS, WebhookSecrets.of(keys)), clock);
    }

    static String v1(byte[] key, String id, long ts, String body) {
        return "v1," + b64(hmac("HmacSHA256", key, id + "." + ts + "." + body));
    }

    static WebhookRequest req(String id, long ts, String sigs, String body) {
        return new WebhookRequest(utf8(body), WebhookHeaders.ofSingle("webhook-id", id, "webhook-timestamp", Long.toString(ts), "webhook-signature", sigs));
    }

    static RejectReason reason(WebhookVerdict v) {
        assertThat(v).isInstanceOf(Rejected.class);
        return ((Rejected) v).reason();
    }

    @Test
    void multipleSignaturesAndUnknownVersionsAreHandledPerSpec() {
        String body = "{\"type\":\"invoice.paid\"}";
        String sigs = "v2,Zm9v v1," + b64(new byte[32]) + " " + v1(SECRET_RAW, "msg_1", NOW, body);
        assertThat(verifier(SECRET).verify(req("msg_1", NOW, sigs, body)))
                .isInstanceOfSatisfying(Verified.class, v -> assertThat(v.replayKey()).isEqualTo("id:msg_1"));
    }

    @Test
    void sameMessageIdIsAReplayEvenWithAFreshTimestamp() {
        var verifier = verifier(SECRET);
        String body = "{}";
        assertThat(verifier.verify(req("msg_2", NOW, v1(SECRET_RAW, "msg_2", NOW, body), body))).isInstanceOf(Verified.class);
        clock.advanceSeconds(30);
        assertThat(reason(verifier.verify(req("msg_2", NOW + 30, v1(SECRET_RAW, "msg_2", NOW + 30, body), body)))).isEqualTo(RejectReason.REPLAYED);
    }

    @Test
    void tamperedIdTimestampOrBodyIsRefused() {
        var verifier = verifier(SECRET);
        String sig = v1(SECRET_RAW, "msg_3", NOW, "{}");
        assertThat(reason(verifier.verify(req("msg_4", NOW, sig, "{}")))).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
        assertThat(reason(verifier.verify(req("msg_3", NOW - 1, sig, "{}")))).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
        assertThat(reason(verifier.verify(req("msg_3", NOW, sig, "{ }")))).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
        assertThat(reason(verifier.verify(req("msg_3", NOW - 301, v1(SECRET_RAW, "msg_3", NOW - 301, "{}"), "{}")))).isEqualTo(RejectReason.TIMESTAMP_TOO_OLD);
        assertThat(reason(verifier.verify(req("msg_3", NOW + 301, v1(SECRET_RAW, "msg_3", NOW + 301, "{}"), "{}")))).isEqualTo(RejectReason.TIMESTAMP_IN_FUTURE);
    }

    @Test
    void rotationWithTwoSecretsAndUnprefixedBase64Secret() {
        byte[] newRaw = "another-32-byte-secret-for-tests".getBytes();
        var verifier = verifier(SECRET, b64(newRaw));
        assertThat(verifier.verify(req("a", NOW, v1(newRaw, "a", NOW, "x"), "x"))).isInstanceOf(Verified.class);
        assertThat(verifier.verify(req("b", NOW, v1(SECRET_RAW, "b", NOW, "x"), "x"))).isInstanceOf(Verified.class);
    }

    @Test
    void ed25519V1aVerifiesWithWhpkPublicKey() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        String whpk = "whpk_" + b64(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        String body = "{\"event\":\"signed with ed25519\"}";
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(utf8("msg_ed." + NOW + "." + body));
        String sig = "v1a," + b64(s.sign());

        var verifier = verifier(whpk);
        assertThat(verifier.verify(req("msg_ed", NOW, sig, body))).isInstanceOf(Verified.class);
        assertThat(reason(verifier.verify(req("msg_ed2", NOW, sig, body)))).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
        // an HMAC-only endpoint cannot check v1a and says why
        var hmacOnly = verifier(SECRET).verify(req("msg_ed3", NOW, sig, body));
        assertThat(reason(hmacOnly)).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
        assertThat(((Rejected) hmacOnly).message()).contains("whpk_");
        // mixed configuration: either key kind may verify
        assertThat(verifier(SECRET, whpk).verify(req("msg_ed4", NOW, v1(SECRET_RAW, "msg_ed4", NOW, body) + " " + sig, body))).isInstanceOf(Verified.class);
    }

    @Test
    void svixHeaderNamesAreAccepted() {
        String body = "{\"type\":\"user.created\"}";
        var headers = WebhookHeaders.ofSingle("svix-id", "msg_svix", "svix-timestamp", Long.toString(NOW), "svix-signature", v1(SECRET_RAW, "msg_svix", NOW, body));
        assertThat(verifier(SECRET).verify(new WebhookRequest(utf8(body), headers))).isInstanceOf(Verified.class);
    }

    @Test
    void malformedHeaders() {
        var verifier = verifier(SECRET);
        String good = v1(SECRET_RAW, "m", NOW, "{}");
        assertThat(reason(verifier.verify(new WebhookRequest(utf8("{}"), WebhookHeaders.ofSingle("webhook-id", "m", "webhook-signature", good))))).isEqualTo(RejectReason.MISSING_HEADER);
        assertThat(reason(verifier.verify(req("m", NOW, "v1" + good.substring(3), "{}")))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(req("m", NOW, "v1,!!!", "{}")))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(req("m", NOW, "v1," + b64(new byte[31]), "{}")))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(req("m", NOW, "v9,abcd", "{}")))).isEqualTo(RejectReason.UNSUPPORTED_SIGNATURE_VERSION);
        assertThat(reason(verifier.verify(req("m", NOW, (good + " ").repeat(17), "{}")))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(req("m id", NOW, good, "{}")))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(req("m".repeat(201), NOW, good, "{}")))).isEqualTo(RejectReason.MALFORMED_HEADER);
    }

    @Test
    void unusableKeysAreConfigErrorsThatNameThePositionNotTheValue() {
        assertThatThrownBy(() -> verifier(SECRET, "whsk_" + b64(new byte[64])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret #2").hasMessageContaining("whpk_");
        assertThatThrownBy(() -> verifier("whsec_***not-base64***"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret #1").hasMessageNotContaining("not-base64");
        assertThatThrownBy(() -> verifier("whpk_" + Base64.getEncoder().encodeToString(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-byte");
    }
}

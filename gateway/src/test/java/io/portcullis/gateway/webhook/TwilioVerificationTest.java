package io.portcullis.gateway.webhook;

import static io.portcullis.gateway.webhook.TestSigning.b64;
import static io.portcullis.gateway.webhook.TestSigning.hmac;
import static io.portcullis.gateway.webhook.TestSigning.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.gateway.webhook.TestSigning.MutableClock;
import io.portcullis.gateway.webhook.WebhookVerdict.Rejected;
import io.portcullis.gateway.webhook.WebhookVerdict.Verified;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Twilio beyond the published example. Constructed vectors follow Twilio's "Webhooks security"
 * documentation: HMAC-SHA1 over URL + sorted name/value pairs; for JSON bodies the URL carries
 * bodySHA256. The JSON body below is the one used in Twilio's helper-library tests (twilio-node
 * spec/unit/webhooks), whose SHA-256 is 0a1ff763...6620; its signature is computed here.
 */
class TwilioVerificationTest {
    static final String TOKEN = "12345";
    final WebhookVerifier verifier = WebhookVerifier.create(
            WebhookConfig.of("twilio", VendorKind.TWILIO, WebhookSecrets.of(utf8(TOKEN))), MutableClock.atEpochSecond(1_700_000_000L));

    static String sign(String token, String data) {
        return b64(hmac("HmacSHA1", utf8(token), data));
    }

    static WebhookRequest req(String body, String sig, String url) {
        return new WebhookRequest(utf8(body), WebhookHeaders.ofSingle("X-Twilio-Signature", sig), url);
    }

    static RejectReason reason(WebhookVerdict v) {
        assertThat(v).isInstanceOf(Rejected.class);
        return ((Rejected) v).reason();
    }

    @Test
    void jsonBodyVariantChecksSignedUrlAndBodyHash() throws Exception {
        String body = "{\"property\": \"value\", \"boolean\": true}";
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8(body)));
        assertThat(hash).isEqualTo("0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620");
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=" + hash;
        String sig = sign(TOKEN, url); // no parameters appended for the JSON variant

        assertThat(verifier.verify(req(body, sig, url))).isInstanceOf(Verified.class);
        assertThat(reason(verifier.verify(req(body.replace("true", "false"), sig, url)))).isEqualTo(RejectReason.BODY_HASH_MISMATCH);
        // a forged URL hash is caught by the URL signature
        String otherUrl = "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=" + "0".repeat(64);
        assertThat(reason(verifier.verify(req(body, sig, otherUrl)))).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
        String badHashUrl = "https://mycompany.com/x?bodySHA256=nothex";
        assertThat(reason(verifier.verify(req(body, sign(TOKEN, badHashUrl), badHashUrl)))).isEqualTo(RejectReason.MALFORMED_URL);
    }

    @Test
    void defaultPortIsToleratedEitherWay() {
        String body = "CallSid=CA1&From=%2B1555";
        String data = "CallSidCA1From+1555";
        // Twilio signed without the port, the gateway sees :443
        assertThat(verifier.verify(req(body, sign(TOKEN, "https://hooks.example.com/twilio" + data), "https://hooks.example.com:443/twilio")))
                .isInstanceOf(Verified.class);
        // Twilio signed with :443, the gateway sees no port
        String body2 = body + "&X=1";
        assertThat(verifier.verify(req(body2, sign(TOKEN, "https://hooks.example.com:443/twilio" + data + "X1"), "https://hooks.example.com/twilio")))
                .isInstanceOf(Verified.class);
        // a different port is a different URL
        assertThat(reason(verifier.verify(req(body, sign(TOKEN, "https://hooks.example.com/twilio" + data), "https://hooks.example.com:8443/twilio"))))
                .isEqualTo(RejectReason.SIGNATURE_MISMATCH);
    }

    @Test
    void repeatedParametersAndSpacesAreSignedAsTwilioDoes() {
        // '+' in a form value is a space; repeated names are sorted by value
        String body = "b=2&a=z&a=y&Body=hello+world";
        String data = "https://x.example/h" + "Bodyhello world" + "ay" + "az" + "b2";
        assertThat(verifier.verify(req(body, sign(TOKEN, data), "https://x.example/h"))).isInstanceOf(Verified.class);
    }

    @Test
    void urlAndBodyProblemsHaveClearReasons() {
        String sig = sign(TOKEN, "https://x.example/h");
        assertThat(reason(verifier.verify(req("", sig, "")))).isEqualTo(RejectReason.MALFORMED_URL);
        assertThat(reason(verifier.verify(req("", sig, "ftp://x.example/h")))).isEqualTo(RejectReason.MALFORMED_URL);
        assertThat(reason(verifier.verify(req("", sig, "https://x.example/" + "a".repeat(9000))))).isEqualTo(RejectReason.MALFORMED_URL);
        assertThat(reason(verifier.verify(req("a=%zz", sig, "https://x.example/h")))).isEqualTo(RejectReason.MALFORMED_BODY);
        assertThat(reason(verifier.verify(req("", "AAAA", "https://x.example/h")))).isEqualTo(RejectReason.MALFORMED_HEADER);
        assertThat(reason(verifier.verify(new WebhookRequest(new byte[0], WebhookHeaders.ofSingle(), "https://x.example/h")))).isEqualTo(RejectReason.MISSING_HEADER);
    }

    @Test
    void emptyBodyGetRequestSignsTheUrlAlone() {
        String url = "https://x.example/status?CallSid=CA9&CallStatus=completed";
        assertThat(verifier.verify(req("", sign(TOKEN, url), url))).isInstanceOf(Verified.class);
        assertThat(reason(verifier.verify(req("", sign(TOKEN, url), url.replace("completed", "failed"))))).isEqualTo(RejectReason.SIGNATURE_MISMATCH);
    }

    @Test
    void oddButSignedQueryElsewhereInTheUrlDoesNotCauseARefusal() {
        String url = "https://x.example/h?note=100%25&raw=%zz";
        assertThat(verifier.verify(req("", sign(TOKEN, url), url))).isInstanceOf(Verified.class);
    }

    @Test
    void ipv6HostWithoutPortGetsADefaultPortVariant() {
        assertThat(TwilioScheme.portVariants("https://[::1]/h", 8)).containsExactly("https://[::1]/h", "https://[::1]:443/h");
        assertThat(TwilioScheme.portVariants("http://u:p@h.example:80?q", 7)).containsExactly("http://u:p@h.example:80?q", "http://u:p@h.example?q");
    }
}

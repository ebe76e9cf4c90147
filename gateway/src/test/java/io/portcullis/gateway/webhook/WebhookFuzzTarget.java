package io.portcullis.gateway.webhook;

import static io.portcullis.gateway.webhook.TestSigning.utf8;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shared fuzz harness: turns arbitrary bytes into a webhook request for one vendor and checks that
 * verification returns a verdict without any exception and without echoing the secret.
 *
 * <p>Input layout (readable, so seed files are plain text): line 1 selects the vendor (its first
 * byte modulo 6), lines 2 to 5 are the values of the vendor's headers (missing lines mean missing
 * headers; a line "~" means the header is sent twice), line 6 is the URL, the rest is the body.
 */
final class WebhookFuzzTarget {
    static final String SECRET_TEXT = "fuzz-secret-XYZZY";
    static final long NOW = 1_732_000_000L;

    private static final Map<VendorKind, List<String>> HEADERS = new EnumMap<>(Map.of(
            VendorKind.STRIPE, List.of("Stripe-Signature"),
            VendorKind.GITHUB, List.of("X-Hub-Signature-256", "X-GitHub-Delivery", "X-Hub-Signature"),
            VendorKind.SLACK, List.of("X-Slack-Request-Timestamp", "X-Slack-Signature"),
            VendorKind.SHOPIFY, List.of("X-Shopify-Hmac-Sha256", "X-Shopify-Webhook-Id"),
            VendorKind.TWILIO, List.of("X-Twilio-Signature", "I-Twilio-Idempotency-Token"),
            VendorKind.STANDARD_WEBHOOKS, List.of("webhook-id", "webhook-timestamp", "webhook-signature", "svix-id")));

    private final Map<VendorKind, WebhookVerifier> verifiers = new EnumMap<>(VendorKind.class);

    WebhookFuzzTarget() {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
        for (VendorKind kind : VendorKind.values()) {
            List<byte[]> secrets = new ArrayList<>();
            if (kind == VendorKind.STANDARD_WEBHOOKS) {
                secrets.add(utf8("whsec_" + Base64.getEncoder().encodeToString(utf8(SECRET_TEXT))));
                secrets.add(utf8("whpk_" + Base64.getEncoder().encodeToString(rawEd25519PublicKey())));
            } else {
                secrets.add(utf8(SECRET_TEXT));
                secrets.add(utf8("second-" + SECRET_TEXT));
            }
            var config = WebhookConfig.of("fuzz-" + kind, kind, WebhookSecrets.of(secrets.toArray(byte[][]::new)))
                    .withReplay(kind.signsTimestamp() ? Duration.ofSeconds(600) : Duration.ofMinutes(1), 64);
            verifiers.put(kind, WebhookVerifier.create(config, clock));
        }
    }

    private static byte[] rawEd25519PublicKey() {
        try {
            byte[] spki = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
            return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Builds the request from {@code data} and verifies it; throws AssertionError on any property violation. */
    WebhookVerdict run(byte[] data) {
        int pos = 0;
        List<String> lines = new ArrayList<>();
        while (lines.size() < 6 && pos <= data.length) {
            int nl = indexOf(data, (byte) '\n', pos);
            if (nl < 0) {
                lines.add(new String(data, pos, data.length - pos, StandardCharsets.ISO_8859_1));
                pos = data.length + 1;
                break;
            }
            lines.add(new String(data, pos, nl - pos, StandardCharsets.ISO_8859_1));
            pos = nl + 1;
        }
        byte[] body = pos <= data.length ? Arrays.copyOfRange(data, pos, data.length) : new byte[0];
        VendorKind kind = VendorKind.values()[lines.isEmpty() || lines.get(0).isEmpty() ? 0 : (lines.get(0).charAt(0) % VendorKind.values().length)];
        List<String> names = HEADERS.get(kind);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < names.size() && i + 1 < lines.size() && i < 4; i++) {
            String v = lines.get(i + 1);
            if (v.equals("-")) {
                continue; // header absent
            }
            headers.put(names.get(i), v.equals("~") ? List.of("a", "b") : List.of(v));
        }
        String url = lines.size() > 5 ? lines.get(5) : "";
        WebhookRequest request = new WebhookRequest(body, WebhookHeaders.of(headers), url);
        WebhookVerdict verdict = verifiers.get(kind).verifyStrict(request);
        if (verdict == null) {
            throw new AssertionError("null verdict");
        }
        if (verdict instanceof WebhookVerdict.Rejected r && r.message().contains(SECRET_TEXT)) {
            throw new AssertionError("secret leaked into a rejection message");
        }
        return verdict;
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }
}

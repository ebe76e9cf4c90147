package io.portcullis.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Standard Webhooks (standardwebhooks.com): headers {@code webhook-id}, {@code webhook-timestamp} and
 * {@code webhook-signature}; the signed content is {@code <id>.<timestamp>.<raw body>}. The signature
 * header is a space-separated list of {@code <version>,<base64>}: {@code v1} is HMAC-SHA256 with the
 * base64 secret after {@code whsec_}, {@code v1a} is ed25519 verified with a {@code whpk_} public
 * key. Unknown versions are ignored, as the specification asks. Svix's {@code svix-*} header names are
 * accepted when no {@code webhook-*} header is present (same algorithm).
 *
 * <p>The replay key is the signed {@code webhook-id}, which the specification makes the idempotency
 * key: the sender keeps it across retries.
 */
final class StandardWebhooksScheme implements SignatureScheme {

    @Override
    public WebhookVerdict.Verified authenticate(WebhookRequest request, VerificationKeys keys, TimestampWindow window) {
        WebhookHeaders h = request.headers();
        String prefix = !HeaderSyntax.present(h, "webhook-id") && !HeaderSyntax.present(h, "webhook-signature")
                && HeaderSyntax.present(h, "svix-id") ? "svix-" : "webhook-";
        String id = HeaderSyntax.required(h, prefix + "id");
        String ts = HeaderSyntax.required(h, prefix + "timestamp");
        String sigs = HeaderSyntax.required(h, prefix + "signature");
        if (!HeaderSyntax.isPrintableId(id)) {
            throw new Refusal(RejectReason.MALFORMED_HEADER, prefix + "id must be 1 to " + HeaderSyntax.MAX_ID_CHARS + " printable ASCII characters");
        }
        long seconds = HeaderSyntax.unixSeconds(ts, prefix + "timestamp");

        List<byte[]> v1 = new ArrayList<>();
        List<byte[]> v1a = new ArrayList<>();
        int entries = 0;
        for (String entry : sigs.split(" ")) {
            if (entry.isEmpty()) {
                continue;
            }
            if (++entries > HeaderSyntax.MAX_SIGNATURES) {
                throw new Refusal(RejectReason.MALFORMED_HEADER, prefix + "signature has more than " + HeaderSyntax.MAX_SIGNATURES + " entries");
            }
            int comma = entry.indexOf(',');
            if (comma <= 0) {
                throw new Refusal(RejectReason.MALFORMED_HEADER, prefix + "signature entry is not <version>,<base64>");
            }
            String version = entry.substring(0, comma);
            String b64 = entry.substring(comma + 1);
            switch (version) {
                case "v1" -> v1.add(HeaderSyntax.base64(b64, 32, prefix + "signature v1"));
                case "v1a" -> v1a.add(HeaderSyntax.base64(b64, 64, prefix + "signature v1a"));
                default -> { /* unknown versions are ignored per the specification */ }
            }
        }
        if (entries == 0) {
            throw new Refusal(RejectReason.MALFORMED_HEADER, prefix + "signature has no entries");
        }
        if (v1.isEmpty() && v1a.isEmpty()) {
            throw new Refusal(RejectReason.UNSUPPORTED_SIGNATURE_VERSION, prefix + "signature has no v1 or v1a entry");
        }
        Instant instant = window.check(seconds);
        byte[] signedPrefix = (id + "." + ts + ".").getBytes(StandardCharsets.US_ASCII);

        boolean anyKey = false;
        if (!v1.isEmpty() && !keys.hmacKeys().isEmpty()) {
            anyKey = true;
            try {
                SignatureScheme.requireHmacMatch(Hmac.SHA256, keys.hmacKeys(), v1, signedPrefix, request.body());
                return verified(id, instant);
            } catch (Refusal r) {
                if (r.reason != RejectReason.SIGNATURE_MISMATCH) {
                    throw r;
                }
            }
        }
        if (!v1a.isEmpty() && !keys.ed25519Keys().isEmpty()) {
            anyKey = true;
            for (PublicKey key : keys.ed25519Keys()) {
                for (byte[] sig : v1a) {
                    if (ed25519Verifies(key, sig, signedPrefix, request.body())) {
                        return verified(id, instant);
                    }
                }
            }
        }
        if (!anyKey) {
            throw new Refusal(RejectReason.SIGNATURE_MISMATCH, "no configured key can check the presented signature versions ("
                    + (v1.isEmpty() ? "" : "v1 needs a whsec_ secret") + (v1.isEmpty() || v1a.isEmpty() ? "" : ", ")
                    + (v1a.isEmpty() ? "" : "v1a needs a whpk_ public key") + ")");
        }
        throw new Refusal(RejectReason.SIGNATURE_MISMATCH, "no signature matches the message under any configured key");
    }

    private static WebhookVerdict.Verified verified(String id, Instant instant) {
        return new WebhookVerdict.Verified(Optional.of(id), Optional.of(instant), "id:" + id);
    }

    private static boolean ed25519Verifies(PublicKey key, byte[] signature, byte[] prefix, byte[] body) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(prefix);
            s.update(body);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // malformed signature encodings verify as false
        }
    }
}

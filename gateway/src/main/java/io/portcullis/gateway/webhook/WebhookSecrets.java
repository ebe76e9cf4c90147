package io.portcullis.gateway.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The secrets (or, for Standard Webhooks {@code v1a}, public keys) currently valid for one webhook.
 * Several at once is normal during rotation: a request verifies if it verifies under any of them.
 *
 * <p>Values are already resolved by the caller (from {@code env:}, {@code file:} or the encrypted
 * store). Their interpretation depends on the {@link VendorKind}: for Stripe, GitHub, Slack, Shopify
 * and Twilio the bytes are the HMAC key exactly as the vendor shows it (a Stripe {@code whsec_...}
 * secret is used as text, not decoded); for Standard Webhooks they are the text {@code whsec_<base64>}
 * (HMAC, {@code v1}) or {@code whpk_<base64>} (ed25519 public key, {@code v1a}).
 *
 * <p>{@link #current()} is called once per verification, so a supplier backed by a rotating store is
 * picked up without rebuilding the verifier. It must be cheap and must not block. Return a new list
 * when the secrets change: the verifier re-parses keys only when it gets a different list instance.
 */
@FunctionalInterface
public interface WebhookSecrets {

    /** The currently valid secrets, in preference order. Never null; may be empty. */
    List<byte[]> current();

    /** A fixed set of secrets (defensively copied). */
    static WebhookSecrets of(byte[]... secrets) {
        List<byte[]> copy = new ArrayList<>(secrets.length);
        for (byte[] s : secrets) {
            copy.add(Objects.requireNonNull(s, "secret").clone());
        }
        List<byte[]> fixed = List.copyOf(copy);
        return new Fixed(fixed);
    }

    /** Secrets read from {@code supplier} on every verification (for rotation without reload). */
    static WebhookSecrets supplied(Supplier<List<byte[]>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return supplier::get;
    }

    /** A fixed secret list; its values are validated eagerly when the verifier is built. */
    record Fixed(List<byte[]> secrets) implements WebhookSecrets {
        @Override
        public List<byte[]> current() {
            return secrets;
        }

        @Override
        public String toString() {
            return "WebhookSecrets.Fixed[" + secrets.size() + " secret(s), values hidden]";
        }
    }
}

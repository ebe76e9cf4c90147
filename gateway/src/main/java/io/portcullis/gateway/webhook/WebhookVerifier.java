package io.portcullis.gateway.webhook;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifies inbound webhooks of one endpoint: signature over the raw body, signed-timestamp window and
 * replay, for the {@link VendorKind} in its {@link WebhookConfig}. Build one per configured webhook
 * (per snapshot) with {@link #create} and call {@link #verify} for each request.
 *
 * <p><b>Guarantees.</b>
 * <ul>
 *   <li>{@link #verify} never throws for any request content: every refusal is a
 *       {@link WebhookVerdict.Rejected} with a reason code and a message that names what is wrong
 *       without revealing a secret or an expected signature.</li>
 *   <li>Signatures are compared in constant time ({@link java.security.MessageDigest#isEqual}) on
 *       decoded bytes; hex case and base64 padding do not matter.</li>
 *   <li>A request verifies if any currently valid secret (rotation) produces any presented signature.</li>
 *   <li>Cost is linear in body size times the number of secrets; headers are length-limited
 *       ({@value HeaderSyntax#MAX_HEADER_CHARS} characters) and at most
 *       {@value HeaderSyntax#MAX_SIGNATURES} signatures per header are considered.</li>
 *   <li>Replay: an accepted request's key (the signed event id for Standard Webhooks, otherwise the
 *       verified signature, which is unique to the signed content) is recorded atomically in a
 *       bounded {@link ReplayGuard}; a second delivery within the window is {@code REPLAYED}. Refused
 *       requests are never recorded.</li>
 *   <li>Thread-safe; no blocking I/O (the secret supplier must not block).</li>
 * </ul>
 *
 * <p>The order of checks is: header syntax, timestamp window, signature, replay.
 */
public final class WebhookVerifier {

    private final WebhookConfig config;
    private final Clock clock;
    private final SignatureScheme scheme;
    private final TimestampWindow window;
    private final ReplayGuard replay;
    private final AtomicLong internalErrors = new AtomicLong();
    private volatile KeyCache keyCache;

    private record KeyCache(List<byte[]> source, VerificationKeys keys) {}

    private WebhookVerifier(WebhookConfig config, Clock clock, ReplayGuard inherited) {
        this.config = config;
        this.clock = clock;
        this.scheme = SignatureScheme.forKind(config.vendorKind());
        this.window = new TimestampWindow(config.tolerance().toSeconds(), config.futureTolerance().toSeconds(), clock);
        this.replay = config.replayWindow().isZero() ? null
                : inherited != null ? inherited
                : new ReplayGuard(config.replayWindow(), config.replayCapacity(), clock);
        if (config.secrets() instanceof WebhookSecrets.Fixed fixed) {
            VerificationKeys keys = VerificationKeys.parse(config.vendorKind(), fixed.secrets());
            if (!keys.problems().isEmpty()) {
                throw new IllegalArgumentException("webhook '" + config.name() + "': " + String.join("; ", keys.problems()));
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("webhook '" + config.name() + "': at least one secret is required");
            }
            this.keyCache = new KeyCache(fixed.secrets(), keys);
        }
    }

    /**
     * Builds the verifier for {@code config}.
     *
     * @param clock the time source for timestamp windows and replay expiry
     * @throws IllegalArgumentException if fixed secrets are missing or unusable (message names the
     *     secret by position, never by value)
     */
    public static WebhookVerifier create(WebhookConfig config, Clock clock) {
        return new WebhookVerifier(Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"), null);
    }

    /**
     * Builds the verifier for a reloaded {@code newConfig} of the same webhook, keeping this verifier's
     * replay memory when the replay window and capacity are unchanged, so a config reload does not
     * open a replay gap. (If they changed, the new verifier starts with an empty store.) Both
     * verifiers may serve concurrently while the old snapshot drains.
     *
     * @throws IllegalArgumentException as {@link #create}
     */
    public WebhookVerifier successor(WebhookConfig newConfig) {
        Objects.requireNonNull(newConfig, "newConfig");
        boolean sameReplay = replay != null && newConfig.replayWindow().equals(config.replayWindow())
                && newConfig.replayCapacity() == config.replayCapacity();
        return new WebhookVerifier(newConfig, clock, sameReplay ? replay : null);
    }

    public WebhookConfig config() {
        return config;
    }

    /** Verifies one request. Never throws for any request content; see the class guarantees. */
    public WebhookVerdict verify(WebhookRequest request) {
        Objects.requireNonNull(request, "request");
        try {
            return verifyOrThrow(request);
        } catch (Refusal r) {
            return r.verdict();
        } catch (RuntimeException e) {
            // Defence in depth: a bug must not turn into a 500 with a stack trace or an accepted request.
            internalErrors.incrementAndGet();
            return new WebhookVerdict.Rejected(RejectReason.INTERNAL_ERROR, "webhook could not be verified (internal error)");
        }
    }

    /** Like {@link #verify} but lets unexpected exceptions through (for fuzz tests); refusals still become verdicts. */
    WebhookVerdict verifyStrict(WebhookRequest request) {
        try {
            return verifyOrThrow(request);
        } catch (Refusal r) {
            return r.verdict();
        }
    }

    private WebhookVerdict verifyOrThrow(WebhookRequest request) {
        VerificationKeys keys = currentKeys();
        WebhookVerdict.Verified verified = scheme.authenticate(request, keys, window);
        if (replay != null && !replay.firstSighting(verified.replayKey())) {
            String what = verified.replayKey().startsWith("id:") ? "event id" : "signature";
            return new WebhookVerdict.Rejected(RejectReason.REPLAYED, "a request with the same " + what
                    + " was already accepted within the last " + config.replayWindow().toSeconds() + " s");
        }
        return verified;
    }

    /**
     * Forgets a verified request's replay entry, so the vendor's retry is accepted. Call it when the
     * verified delivery could not be forwarded to the internal service.
     */
    public void release(WebhookVerdict.Verified verified) {
        if (replay != null) {
            replay.forget(verified.replayKey());
        }
    }

    /** Replay store counters, or empty when replay protection is disabled. */
    public Optional<ReplayGuard.Stats> replayStats() {
        return replay == null ? Optional.empty() : Optional.of(replay.stats());
    }

    /** Number of requests refused because of an unexpected internal error (should stay 0). */
    public long internalErrors() {
        return internalErrors.get();
    }

    private VerificationKeys currentKeys() {
        KeyCache cache = keyCache;
        if (cache != null && config.secrets() instanceof WebhookSecrets.Fixed) {
            return cache.keys();
        }
        List<byte[]> source;
        try {
            source = config.secrets().current();
        } catch (RuntimeException e) {
            throw new Refusal(RejectReason.KEYS_UNAVAILABLE, "webhook secrets could not be read");
        }
        if (source == null || source.isEmpty()) {
            throw new Refusal(RejectReason.KEYS_UNAVAILABLE, "no webhook secret is configured");
        }
        if (cache != null && cache.source() == source) {
            return cache.keys();
        }
        VerificationKeys keys = VerificationKeys.parse(config.vendorKind(), source);
        if (keys.isEmpty()) {
            throw new Refusal(RejectReason.KEYS_UNAVAILABLE, "no usable webhook secret is configured");
        }
        keyCache = new KeyCache(source, keys);
        return keys;
    }
}

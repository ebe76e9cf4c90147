package io.portcullis.gateway.webhook;

import java.time.Duration;
import java.util.Objects;

/**
 * How one webhook endpoint is verified.
 *
 * @param name a label for messages and metrics (for example {@code stripe-payments}); never a secret
 * @param vendorKind the signature scheme
 * @param secrets the currently valid secrets or public keys (several during rotation)
 * @param tolerance how old a signed timestamp may be; ignored for schemes without a timestamp
 * @param futureTolerance how far a signed timestamp may lie in the future (sender clock skew)
 * @param replayWindow how long an accepted event id or signature is remembered; {@link Duration#ZERO}
 *     disables replay protection. For timestamped schemes it must cover {@code tolerance +
 *     futureTolerance}, otherwise a captured request could be replayed after it is forgotten but while
 *     its timestamp is still accepted. For schemes without a timestamp (GitHub, Shopify, Twilio) this
 *     window is the only replay protection: a request captured and replayed after it has passed is
 *     accepted, because those vendors sign nothing time-bound.
 * @param replayCapacity the most entries the replay store holds; see {@link ReplayGuard} for what
 *     happens when it is full
 */
public record WebhookConfig(
        String name,
        VendorKind vendorKind,
        WebhookSecrets secrets,
        Duration tolerance,
        Duration futureTolerance,
        Duration replayWindow,
        int replayCapacity) {

    /** Default replay window for schemes without a signed timestamp. */
    public static final Duration DEFAULT_UNTIMED_REPLAY_WINDOW = Duration.ofHours(24);
    /** Default replay store capacity. */
    public static final int DEFAULT_REPLAY_CAPACITY = 100_000;

    public WebhookConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vendorKind, "vendorKind");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(tolerance, "tolerance");
        Objects.requireNonNull(futureTolerance, "futureTolerance");
        Objects.requireNonNull(replayWindow, "replayWindow");
        if (tolerance.isNegative() || futureTolerance.isNegative() || replayWindow.isNegative()) {
            throw new IllegalArgumentException("webhook '" + name + "': durations must not be negative");
        }
        if (vendorKind.signsTimestamp() && tolerance.isZero()) {
            throw new IllegalArgumentException("webhook '" + name + "': tolerance must be positive for " + vendorKind);
        }
        if (replayCapacity < 1) {
            throw new IllegalArgumentException("webhook '" + name + "': replayCapacity must be at least 1");
        }
        if (vendorKind.signsTimestamp() && !replayWindow.isZero()
                && replayWindow.compareTo(tolerance.plus(futureTolerance)) < 0) {
            throw new IllegalArgumentException("webhook '" + name + "': replayWindow " + replayWindow.toSeconds()
                    + "s is shorter than tolerance + futureTolerance (" + tolerance.plus(futureTolerance).toSeconds()
                    + "s); a captured request could be replayed after it is forgotten. Use at least that, or 0 to disable replay protection");
        }
    }

    /**
     * A config with the vendor's defaults: its documented tolerance in both directions, a replay window
     * covering the whole timestamp window (or 24 h without timestamps) and 100,000 entries.
     */
    public static WebhookConfig of(String name, VendorKind vendorKind, WebhookSecrets secrets) {
        Duration tol = vendorKind.defaultTolerance();
        Duration replay = vendorKind.signsTimestamp() ? tol.plus(tol) : DEFAULT_UNTIMED_REPLAY_WINDOW;
        return new WebhookConfig(name, vendorKind, secrets, tol, tol, replay, DEFAULT_REPLAY_CAPACITY);
    }

    /** Same config with another timestamp tolerance (past and future); the replay window grows to cover it. */
    public WebhookConfig withTolerance(Duration past, Duration future) {
        Duration replay = replayWindow.isZero() ? replayWindow : max(replayWindow, past.plus(future));
        return new WebhookConfig(name, vendorKind, secrets, past, future, replay, replayCapacity);
    }

    /** Same config with another replay window and capacity. */
    public WebhookConfig withReplay(Duration window, int capacity) {
        return new WebhookConfig(name, vendorKind, secrets, tolerance, futureTolerance, window, capacity);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}

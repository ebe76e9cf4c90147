package io.portcullis.gateway.credential;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Access tokens per {@link TokenKey}, renewed before they expire, fetched once however many requests wait.
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>Cache hit</b> (token fresh): one volatile read and a clock read; nothing allocated.</li>
 *   <li><b>Renewal</b>: from {@code refreshAt} (expiry minus the skew, or half the lifetime for short-lived
 *       tokens) the current token is still served while one background fetch runs.</li>
 *   <li><b>Single-flight</b>: at most one fetch per key is in flight; every waiter joins it.</li>
 *   <li><b>Backoff</b>: after a failed fetch no new fetch starts before {@code 1s · 2^(n-1)} (max 60 s, ±20%
 *       jitter, or the token endpoint's {@code Retry-After} on 429/503 if longer, capped at one hour); meanwhile callers without a valid token fail fast with {@link CredentialUnavailableException}
 *       carrying the wait — the token endpoint never sees a request storm.</li>
 *   <li><b>Invalidation</b> after a vendor 401 drops the token only if it is still the current one, and at most
 *       once per {@link #MIN_INVALIDATION_INTERVAL_MS}, so 200 requests failing together cause one fetch and a
 *       vendor that rejects every token cannot turn requests into token fetches.</li>
 * </ul>
 * Fetches never run on the caller's thread (the fetcher is asynchronous).
 */
public final class TokenCache {
    static final long MAX_BACKOFF_MS = 60_000;
    static final long MIN_INVALIDATION_INTERVAL_MS = 10_000;

    private final Clock clock;
    private final ConcurrentHashMap<TokenKey, Slot> slots = new ConcurrentHashMap<>();

    public TokenCache(Clock clock) {
        this.clock = clock;
    }

    Slot slot(TokenKey key, String api) {
        return slots.computeIfAbsent(key, k -> new Slot(api));
    }

    long now() {
        return clock.millis();
    }

    /** One key's state. */
    final class Slot {
        private final String api;
        volatile CachedToken token;
        private CompletableFuture<CachedToken> inflight; // guarded by this
        private int failures;                             // guarded by this
        private long retryAt;                             // guarded by this
        private long lastInvalidation = Long.MIN_VALUE;   // guarded by this
        private String lastFailure = "";                  // guarded by this

        Slot(String api) {
            this.api = api;
        }

        /** A fresh token, at once when cached; renews in the background inside the refresh window. */
        CompletableFuture<CachedToken> get(Supplier<CompletableFuture<CachedToken>> fetcher) {
            CachedToken t = token;
            long now = now();
            if (t != null && now < t.refreshAt) return completed(t);
            if (t != null && now < t.expiresAt) {
                fetch(fetcher, now); // background renewal; failure keeps the current token
                return completed(t);
            }
            return fetch(fetcher, now);
        }

        /** The current token if it needs no fetch at all (the allocation-free path), else null. */
        CachedToken fresh() {
            CachedToken t = token;
            return t != null && now() < t.refreshAt ? t : null;
        }

        private CompletableFuture<CachedToken> completed(CachedToken t) {
            return CompletableFuture.completedFuture(t);
        }

        synchronized CompletableFuture<CachedToken> fetch(Supplier<CompletableFuture<CachedToken>> fetcher, long now) {
            if (inflight != null) return inflight;
            if (now < retryAt) {
                long wait = Math.max(1, (retryAt - now + 999) / 1000);
                return CompletableFuture.failedFuture(new CredentialUnavailableException(api, lastFailure + "; next attempt in " + wait + "s", wait));
            }
            CompletableFuture<CachedToken> f;
            try {
                f = fetcher.get();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            CompletableFuture<CachedToken> result = f.handle((tok, err) -> {
                complete(tok, err);
                if (err != null) throw unavailable(err);
                return tok;
            });
            inflight = result.isDone() ? null : result;
            return result;
        }

        private synchronized void complete(CachedToken tok, Throwable err) {
            inflight = null;
            if (err == null) {
                token = tok;
                failures = 0;
                retryAt = 0;
                return;
            }
            failures++;
            long base = Math.min(MAX_BACKOFF_MS, 1000L << Math.min(16, failures - 1));
            long jitter = (long) (base * 0.2 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
            long serverWait = unwrap(err) instanceof TokenFetchException f ? f.retryAfterMillis() : 0;
            retryAt = now() + Math.max(serverWait, Math.max(500, base + jitter));
            lastFailure = reason(err);
        }

        private CredentialUnavailableException unavailable(Throwable err) {
            Throwable c = unwrap(err);
            if (c instanceof CredentialUnavailableException cu) return cu;
            long wait;
            synchronized (this) {
                wait = Math.max(1, (retryAt - now() + 999) / 1000);
            }
            return new CredentialUnavailableException(api, reason(c), wait);
        }

        /**
         * Drops {@code used} if it is still current and no invalidation happened in the last
         * {@link #MIN_INVALIDATION_INTERVAL_MS}. Returns true when a retry will see a different token
         * (dropped now, or already replaced by another request).
         */
        synchronized boolean invalidate(CachedToken used) {
            CachedToken cur = token;
            if (cur != used) return true; // someone already replaced it
            long now = now();
            if (lastInvalidation != Long.MIN_VALUE && now - lastInvalidation < MIN_INVALIDATION_INTERVAL_MS) return false;
            lastInvalidation = now;
            token = null;
            return true;
        }

        synchronized int failures() {
            return failures;
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String reason(Throwable err) {
        Throwable c = unwrap(err);
        if (c instanceof TokenFetchException || c instanceof CredentialUnavailableException) return c.getMessage();
        return "token fetch failed (" + c.getClass().getSimpleName() + ")";
    }
}

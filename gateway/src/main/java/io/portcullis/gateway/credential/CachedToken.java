package io.portcullis.gateway.credential;

import java.util.concurrent.CompletableFuture;

/**
 * An access token as obtained from a token endpoint, with its renewal and expiry times (epoch millis of the
 * broker's clock). The token value is secret: {@link #toString()} shows only the type and times.
 * For unbound (Bearer) tokens the ready-made {@link Attachment} and its completed future are built once here,
 * so a cache hit hands the same objects to every request.
 */
final class CachedToken {
    final String value;
    final boolean dpop;
    final long obtainedAt;
    final long refreshAt;
    final long expiresAt;
    final Attachment bearerAttachment;      // null for DPoP tokens (proof is per request)
    final CompletableFuture<Attachment> ready;

    CachedToken(String value, boolean dpop, long obtainedAt, long refreshAt, long expiresAt) {
        this.value = value;
        this.dpop = dpop;
        this.obtainedAt = obtainedAt;
        this.refreshAt = refreshAt;
        this.expiresAt = expiresAt;
        this.bearerAttachment = dpop ? null
                : new Attachment("oauth2", new String[] {"Authorization"}, new String[] {"Bearer " + value}, null, null, false, this, null);
        this.ready = dpop ? null : CompletableFuture.completedFuture(bearerAttachment);
    }

    @Override
    public String toString() {
        return "CachedToken[" + (dpop ? "DPoP" : "Bearer") + ", obtainedAt=" + obtainedAt + ", expiresAt=" + expiresAt + ", value redacted]";
    }
}

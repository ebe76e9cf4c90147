package io.portcullis.gateway.policy;

import io.portcullis.core.event.Decision;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.portcullis.core.config.ApiConfig;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.pipeline.HeadVerdict;
import io.portcullis.gateway.pipeline.Problem;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Token bucket per app on one API (Bucket4j, local). Over the limit: 429 with {@code Retry-After} and
 * the IETF {@code RateLimit}/{@code RateLimit-Policy} headers; within it, the same headers are added to
 * the vendor's response so apps can pace themselves. Buckets live in a {@link Buckets} registry that
 * outlives configuration reloads, so a reload does not refill everyone's bucket.
 */
public final class RateLimitPolicy implements ExchangePolicy {
    /** Buckets keyed by API, app and the limit's shape; kept across snapshots. */
    public static final class Buckets {
        private record Key(String apiId, String app, ApiConfig.RateLimit limit) {}

        private final ConcurrentMap<Key, Bucket> buckets = new ConcurrentHashMap<>();

        Bucket get(String apiId, String app, ApiConfig.RateLimit limit) {
            return buckets.computeIfAbsent(new Key(apiId, app, limit), k -> Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(limit.burst()).refillGreedy(limit.requests(), limit.per()).build())
                    .build());
        }
    }

    private record Remaining(long tokens) {}

    private static final io.netty.util.AsciiString RATELIMIT = io.netty.util.AsciiString.cached("RateLimit");
    private static final io.netty.util.AsciiString RATELIMIT_POLICY = io.netty.util.AsciiString.cached("RateLimit-Policy");

    private final String apiId;
    private final ApiConfig.RateLimit limit;
    private final Buckets buckets;
    private final String policyHeader;
    /** This snapshot's view of the shared registry, so the hot path is one lookup by app name. */
    private final ConcurrentMap<String, Bucket> byApp = new ConcurrentHashMap<>();

    public RateLimitPolicy(ApiConfig api, ApiConfig.RateLimit limit, Buckets buckets) {
        this.apiId = api.id();
        this.limit = limit;
        this.buckets = buckets;
        this.policyHeader = "\"per-app\";q=" + limit.requests() + ";w=" + Math.max(1, limit.per().toSeconds());
    }

    @Override
    public String name() {
        return "rate-limit";
    }

    @Override
    public HeadVerdict onRequestHead(Exchange x) {
        var probe = byApp.computeIfAbsent(x.app(), app -> buckets.get(apiId, app, limit)).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            x.state(Remaining.class, new Remaining(probe.getRemainingTokens()));
            return HeadVerdict.CONTINUE;
        }
        long waitSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        String reason = "app " + x.app() + " exceeded " + limit.requests() + " requests per " + limit.per().toSeconds() + "s on " + apiId;
        x.decide(name(), Decision.Outcome.DENY, reason);
        return HeadVerdict.reject(Problem.of(429, "rate-limited", "Too Many Requests", reason)
                .withHeader("Retry-After", Long.toString(waitSeconds))
                .withHeader("RateLimit-Policy", policyHeader)
                .withHeader("RateLimit", "\"per-app\";r=0;t=" + waitSeconds));
    }

    @Override
    public HeadVerdict onResponseHead(Exchange x) {
        var r = x.state(Remaining.class);
        if (r != null && x.response() != null) {
            x.response().headers().set(RATELIMIT_POLICY, policyHeader);
            x.response().headers().set(RATELIMIT, "\"per-app\";r=" + r.tokens());
        }
        return HeadVerdict.CONTINUE;
    }
}

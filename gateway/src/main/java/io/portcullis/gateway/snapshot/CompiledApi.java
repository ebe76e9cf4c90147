package io.portcullis.gateway.snapshot;

import io.portcullis.core.config.ApiConfig;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.upstream.CircuitBreaker;
import io.portcullis.gateway.upstream.UpstreamTarget;
import java.util.List;

/**
 * One API compiled for the data plane: its configuration, its ordered policy chain, where to connect,
 * the base path to put in front of the app's path, and its circuit breaker.
 */
public record CompiledApi(ApiConfig config, List<ExchangePolicy> chain, UpstreamTarget target, String basePath,
                          String hostHeader, CircuitBreaker breaker) {
    /** A webhook route: the vendor calls in, no app identity; the delivery is forwarded to an internal service. */
    public boolean webhook() {
        return !chain.isEmpty() && chain.get(0) instanceof io.portcullis.gateway.policy.WebhookSignaturePolicy;
    }

    public boolean needsWholeRequestBody(io.portcullis.gateway.pipeline.Exchange x) {
        for (var p : chain) if (p.needsWholeRequestBody(x)) return true;
        return false;
    }

    public boolean needsWholeResponseBody(io.portcullis.gateway.pipeline.Exchange x) {
        for (var p : chain) if (p.needsWholeResponseBody(x)) return true;
        return false;
    }
}

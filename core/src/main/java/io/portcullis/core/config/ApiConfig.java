package io.portcullis.core.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * One vendor API reachable through the gateway.
 *
 * @param vendor      owning vendor name
 * @param name        API name, unique within the vendor
 * @param route       path prefix on the gateway, e.g. {@code /stripe}; requests under it go to {@code upstream}
 * @param upstream    base URL of the vendor API; {@code http://} only with {@code allowInsecureHttp}
 * @param allow       which apps may call it, optionally per method and path
 * @param tls         TLS policy toward the vendor
 * @param limits      size and time limits
 * @param rateLimit   per-app token bucket, if any
 * @param breaker     circuit breaker per upstream
 * @param protocol    upstream HTTP version preference
 * @param credential  how the gateway authenticates to the vendor (apps never hold this secret)
 * @param dataPolicy  which sensitive data may go to this API (none: alert on everything)
 * @param inbound     what is checked in what the vendor sends back (limits, schema, threats, malware)
 */
public record ApiConfig(
        String vendor,
        String name,
        String route,
        URI upstream,
        boolean allowInsecureHttp,
        List<AllowRule> allow,
        TlsPolicy tls,
        Limits limits,
        Optional<RateLimit> rateLimit,
        CircuitBreaker breaker,
        UpstreamProtocol protocol,
        Optional<CredentialSpec> credential,
        Optional<DataPolicy> dataPolicy,
        InboundPolicy inbound) {

    /** {@code vendor/name}, the id used in audit and metrics. */
    public String id() {
        return vendor + "/" + name;
    }

    public enum UpstreamProtocol { AUTO, HTTP1, HTTP2 }

    /**
     * An app allowed on this API; empty {@code methods} means any method, empty {@code paths} any path.
     * Paths are patterns relative to the route: {@code *} matches one segment, {@code **} any remainder.
     */
    public record AllowRule(String app, List<String> methods, List<String> paths) {}

    /**
     * @param failures   consecutive failures that open the circuit
     * @param openFor    how long it stays open before one half-open probe
     */
    public record CircuitBreaker(int failures, java.time.Duration openFor) {}

    /**
     * A token bucket per app on this API: {@code requests} per {@code per}, bursting to {@code burst}.
     */
    public record RateLimit(long requests, java.time.Duration per, long burst) {}
}

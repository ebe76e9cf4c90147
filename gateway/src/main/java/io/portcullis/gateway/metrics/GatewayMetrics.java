package io.portcullis.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.portcullis.gateway.upstream.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Prometheus metrics of the data plane. Labels are app, vendor, api, status class and policy outcome —
 * bounded sets taken from configuration, never from request data (a path or header value never becomes
 * a label, so cardinality cannot be driven by callers and no sensitive value can reach a label).
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private record RequestKey(String app, String vendor, String api, int statusClass) {}

    private record RouteKey(String app, String vendor, String api) {}

    private record DecisionKey(String policy, String outcome) {}

    private final ConcurrentMap<RequestKey, Counter> requestCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<RouteKey, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<DecisionKey, Counter> decisionCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void exchange(String app, String vendor, String api, int status, long durationNanos) {
        String a = app == null ? "unidentified" : app, v = vendor == null ? "none" : vendor, p = api == null ? "none" : api;
        int statusClass = status <= 0 ? 0 : status / 100;
        requestCounters.computeIfAbsent(new RequestKey(a, v, p, statusClass), k -> Counter.builder("portcullis.requests")
                .description("Exchanges handled by the gateway").tag("app", a).tag("vendor", v).tag("api", p).tag("status", statusClass == 0 ? "none" : statusClass + "xx")
                .register(registry)).increment();
        timers.computeIfAbsent(new RouteKey(a, v, p), k -> Timer.builder("portcullis.request.duration")
                .description("Time from request head received to response complete").tag("app", a).tag("vendor", v).tag("api", p)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)).record(durationNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void decision(String policy, String outcome) {
        decisionCounters.computeIfAbsent(new DecisionKey(policy, outcome), k -> Counter.builder("portcullis.decisions")
                .description("Policy decisions").tag("policy", policy).tag("outcome", outcome).register(registry)).increment();
    }

    /** Exposes a breaker's state as 0 closed, 1 half-open, 2 open. */
    public void watch(CircuitBreaker breaker, String vendor, String api) {
        if (breakers.putIfAbsent(breaker.name(), breaker) == null) {
            Gauge.builder("portcullis.circuit.state", breaker, b -> switch (b.state()) {
                        case CLOSED -> 0;
                        case HALF_OPEN -> 1;
                        case OPEN -> 2;
                    }).description("Circuit breaker state: 0 closed, 1 half-open, 2 open")
                    .tag("vendor", vendor).tag("api", api).register(registry);
        }
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }
}

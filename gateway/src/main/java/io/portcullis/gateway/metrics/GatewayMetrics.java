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
    private final ConcurrentMap<String, Counter> requestCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> decisionCounters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void exchange(String app, String vendor, String api, int status, long durationNanos) {
        String a = app == null ? "unidentified" : app, v = vendor == null ? "none" : vendor, p = api == null ? "none" : api;
        String cls = status <= 0 ? "none" : (status / 100) + "xx";
        String key = a + '\u0000' + v + '\u0000' + p + '\u0000' + cls;
        requestCounters.computeIfAbsent(key, k -> Counter.builder("portcullis.requests")
                .description("Exchanges handled by the gateway").tag("app", a).tag("vendor", v).tag("api", p).tag("status", cls)
                .register(registry)).increment();
        String tkey = a + '\u0000' + v + '\u0000' + p;
        timers.computeIfAbsent(tkey, k -> Timer.builder("portcullis.request.duration")
                .description("Time from request head received to response complete").tag("app", a).tag("vendor", v).tag("api", p)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)).record(durationNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void decision(String policy, String outcome) {
        decisionCounters.computeIfAbsent(policy + '\u0000' + outcome, k -> Counter.builder("portcullis.decisions")
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

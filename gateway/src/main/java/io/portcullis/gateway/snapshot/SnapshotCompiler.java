package io.portcullis.gateway.snapshot;

import io.portcullis.core.config.ApiConfig;
import io.portcullis.core.config.PortcullisConfig;
import io.portcullis.gateway.GatewayEvents;
import io.portcullis.gateway.identity.AppIdentifier;
import io.portcullis.gateway.identity.JwksCache;
import io.portcullis.gateway.metrics.GatewayMetrics;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.policy.AllowlistPolicy;
import io.portcullis.gateway.policy.RateLimitPolicy;
import io.portcullis.gateway.policy.RequestLimitsPolicy;
import io.portcullis.gateway.upstream.CircuitBreaker;
import io.portcullis.gateway.upstream.UpstreamTarget;
import io.portcullis.gateway.upstream.UpstreamTls;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Compiles a validated configuration into an immutable {@link GatewaySnapshot}: per API the policy
 * chain in the order DESIGN.md gives (allowlist → rate limit → request limits → extra policies such as
 * DLP and credentials), the TLS context, the upstream target and the circuit breaker. State that must
 * survive reloads (rate-limit buckets, breakers, JWKS caches) is kept here and reused by later compiles.
 */
public final class SnapshotCompiler {
    /** Adds the policies of other concerns (DLP, credentials, inbound protection) after the built-in ones. */
    public interface PolicyContributor extends BiFunction<ApiConfig, PortcullisConfig, List<ExchangePolicy>> {
        /** Policies for a webhook route's deliveries (run after signature, limits and threats); none by default. */
        default List<ExchangePolicy> forWebhook(io.portcullis.core.config.WebhookRouteConfig hook, PortcullisConfig cfg) {
            return List.of();
        }
    }

    /** Supplies the client certificate an API's upstream connections must present (certificate-bound tokens), if any. */
    public interface ClientKeys extends java.util.function.Function<ApiConfig, java.util.Optional<javax.net.ssl.X509KeyManager>> {}

    private final RateLimitPolicy.Buckets buckets = new RateLimitPolicy.Buckets();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, JwksCache> jwks = new ConcurrentHashMap<>();
    private final GatewayMetrics metrics;
    private final GatewayEvents events;
    private final List<PolicyContributor> contributors;
    private final ClientKeys clientKeys;
    private long generation;

    public SnapshotCompiler(GatewayMetrics metrics, GatewayEvents events, List<PolicyContributor> contributors) {
        this(metrics, events, contributors, api -> java.util.Optional.empty());
    }

    public SnapshotCompiler(GatewayMetrics metrics, GatewayEvents events, List<PolicyContributor> contributors, ClientKeys clientKeys) {
        this.metrics = metrics;
        this.events = events;
        this.contributors = contributors;
        this.clientKeys = clientKeys;
    }

    public synchronized GatewaySnapshot compile(PortcullisConfig cfg) throws IOException {
        var routes = new RouteTable<CompiledApi>();
        for (ApiConfig api : cfg.apis()) routes.add(api.route(), compileApi(api, cfg, null));
        compileWebhooks(cfg, routes);
        var caches = new HashMap<String, JwksCache>();
        for (var iss : cfg.issuers().values()) {
            String key = iss.name() + "|" + iss.jwksUri();
            var cache = jwks.computeIfAbsent(key, k -> {
                var c = new JwksCache(iss.name(), iss.jwksUri(), null, Duration.ofSeconds(30));
                c.prefetch();
                return c;
            });
            caches.put(iss.name(), cache);
        }
        var identifier = new AppIdentifier(cfg.apps(), cfg.issuers(), caches, Instant::now);
        return new GatewaySnapshot(cfg, routes, identifier, ++generation);
    }

    /** Webhook verifiers by webhook name, kept across reloads so replay memory has no gap. */
    private final Map<String, io.portcullis.gateway.webhook.WebhookVerifier> webhookVerifiers = new HashMap<>();

    /**
     * Each webhook becomes a route in the same table, marked by its first policy ({@link CompiledApi#webhook()}):
     * no app identity (the vendor is the caller), signature and replay, request limits, threats on the delivery,
     * then the forward to the internal service. Secrets resolve from the environment, files or the store now; a
     * secret that cannot be resolved is a configuration error (on reload the previous snapshot keeps serving).
     */
    private void compileWebhooks(PortcullisConfig cfg, RouteTable<CompiledApi> routes) throws IOException {
        if (cfg.webhooks().isEmpty()) return;
        var store = cfg.secretStore().map(p -> new io.portcullis.core.secret.SecretStore(p,
                io.portcullis.core.secret.MasterKey.fromEnvironment(System.getenv()))).orElse(null);
        var resolver = new io.portcullis.core.secret.SecretResolver(System.getenv(), store);
        var seen = new HashSet<String>();
        for (var w : cfg.webhooks()) {
            var secrets = new ArrayList<byte[]>();
            for (var ref : w.secrets()) {
                try {
                    secrets.add(resolver.resolve(ref).bytes());
                } catch (RuntimeException e) {
                    throw new IOException("webhook " + w.name() + ": secret " + ref.text() + " could not be resolved");
                }
            }
            var kind = io.portcullis.gateway.webhook.VendorKind.valueOf(w.kind().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            var wc = io.portcullis.gateway.webhook.WebhookConfig.of(w.name(), kind,
                    io.portcullis.gateway.webhook.WebhookSecrets.of(secrets.toArray(byte[][]::new)));
            if (w.tolerance().isPresent()) wc = wc.withTolerance(w.tolerance().get(), w.tolerance().get());
            var old = webhookVerifiers.get(w.name());
            var verifier = old != null ? old.successor(wc) : io.portcullis.gateway.webhook.WebhookVerifier.create(wc, java.time.Clock.systemUTC());
            webhookVerifiers.put(w.name(), verifier);
            seen.add(w.name());
            var d = io.portcullis.core.config.Limits.defaults();
            var limits = new io.portcullis.core.config.Limits(w.maxBody(), d.maxResponseBodyBytes(), d.connectTimeout(), d.responseTimeout(), d.idleTimeout());
            var api = new ApiConfig(w.vendor(), "webhook:" + w.name(), w.route(), w.forwardTo(), "http".equalsIgnoreCase(w.forwardTo().getScheme()),
                    List.of(), io.portcullis.core.config.TlsPolicy.defaults(), limits, java.util.Optional.empty(),
                    new ApiConfig.CircuitBreaker(5, Duration.ofSeconds(30)), ApiConfig.UpstreamProtocol.AUTO,
                    java.util.Optional.empty(), java.util.Optional.empty(), w.inbound());
            var chain = new ArrayList<ExchangePolicy>();
            chain.add(new io.portcullis.gateway.policy.WebhookSignaturePolicy(verifier, w.publicUrl().orElse(null), events));
            chain.add(new RequestLimitsPolicy(limits));
            if (w.inbound().limits().action() != io.portcullis.core.config.InboundPolicy.Action.OFF) {
                chain.add(new io.portcullis.gateway.policy.DeliveryLimitsPolicy(w.inbound().limits()));
            }
            if (w.inbound().threats().action() != io.portcullis.core.config.InboundPolicy.Action.OFF) chain.add(new io.portcullis.gateway.policy.ThreatPolicy(io.portcullis.gateway.policy.InboundPolicies.THREATS, w.inbound().threats(),
                    w.inbound().limits(), io.portcullis.gateway.policy.ThreatPolicy.Side.SENDER_REQUEST, events));
            for (var c : contributors) chain.addAll(c.forWebhook(w, cfg));
            routes.add(w.route(), compileApi(api, cfg, chain));
        }
        webhookVerifiers.keySet().retainAll(seen);
    }

    private CompiledApi compileApi(ApiConfig api, PortcullisConfig cfg, List<ExchangePolicy> webhookChain) throws IOException {
        var chain = new ArrayList<ExchangePolicy>();
        if (webhookChain != null) {
            chain.addAll(webhookChain);
        } else {
            chain.add(new AllowlistPolicy(api));
            api.rateLimit().ifPresent(r -> chain.add(new RateLimitPolicy(api, r, buckets)));
            chain.add(new RequestLimitsPolicy(api.limits()));
            for (var c : contributors) chain.addAll(c.apply(api, cfg));
        }
        URI u = api.upstream();
        boolean tls = "https".equalsIgnoreCase(u.getScheme());
        int port = u.getPort() > 0 ? u.getPort() : (tls ? 443 : 80);
        String host = u.getHost();
        boolean defaultPort = u.getPort() < 0 || (tls && port == 443) || (!tls && port == 80);
        String hostHeader = (host.contains(":") ? "[" + host + "]" : host) + (defaultPort ? "" : ":" + port);
        String base = u.getRawPath() == null ? "" : u.getRawPath();
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        var target = new UpstreamTarget(api.id(), host, port, tls ? UpstreamTls.contextFor(api, clientKeys.apply(api).orElse(null)) : null, api.tls().verifyHostname(),
                new HashSet<>(api.tls().pins()), (int) Math.min(Integer.MAX_VALUE, api.limits().connectTimeout().toMillis()), api.protocol(),
                api.limits().idleTimeout().toMillis());
        String bkey = api.id() + "|" + host + ":" + port + "|" + api.breaker();
        CircuitBreaker breaker = breakers.computeIfAbsent(bkey, k -> {
            var b = new CircuitBreaker(api.id(), api.breaker().failures(), api.breaker().openFor(), System::nanoTime,
                    (br, from, to) -> {
                        if (to == CircuitBreaker.State.OPEN) {
                            events.securityEvent("CIRCUIT_OPENED", "medium", api.vendor(), api.name(), null,
                                    "circuit opened after " + api.breaker().failures() + " consecutive failures", Map.of("from", from.name()));
                        }
                    });
            metrics.watch(b, api.vendor(), api.name());
            return b;
        });
        return new CompiledApi(api, List.copyOf(chain), target, base, hostHeader, breaker);
    }
}
